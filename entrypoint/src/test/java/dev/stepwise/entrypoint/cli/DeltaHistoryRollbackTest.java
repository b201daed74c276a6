package dev.stepwise.entrypoint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.testing.SparkTest;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stepwise history} and {@code stepwise rollback} over real Delta tables whose commits carry
 * the run metadata Stepwise's Delta writes put there (made here directly with Spark): runs of two
 * tasks and several dates, commits by other writers, the refusal cases, and a lock held by a run.
 */
@SparkTest
class DeltaHistoryRollbackTest {
  private static final String D1 = "2026-11-21";
  private static final String D2 = "2026-11-22";
  private static final String D3 = "2026-11-23";
  private static final String CONFIG = """
      pipeline { name = delta_history, storage_root = "ROOT" }
      datasets {
        raw {
          format = csv
          path = ${pipeline.storage_root}"/raw/run_date={run_date}"
          options { header = "true" }
          schema = "key STRING, amount INT"
        }
        events { format = delta, path = ${pipeline.storage_root}"/delta/events" }
        event_counts { format = delta, path = ${pipeline.storage_root}"/delta/event_counts" }
        totals { format = delta, path = ${pipeline.storage_root}"/delta/totals" }
        summary { format = parquet, path = ${pipeline.storage_root}"/summary/run_date={run_date}" }
      }
      steps {
        keep { type = sql, inputs { raw = raw }, outputs { result = events }, params { query = "SELECT * FROM raw" } }
        count {
          type = sql, inputs { events = events }, outputs { result = event_counts }
          params { query = "SELECT COUNT(*) AS n FROM events" }
        }
        sum {
          type = sql, inputs { events = events }, outputs { result = totals }
          params { query = "SELECT key, SUM(amount) AS amount FROM events GROUP BY key" }
        }
        summarize {
          type = sql, inputs { totals = totals }, outputs { result = summary }
          params { query = "SELECT COUNT(*) AS keys FROM totals" }
        }
      }
      """;
  private static final String GROUPING = """
      tasks {
        ingest { steps = [keep, count] }
        report { steps = [sum] }
        audit { steps = [summarize] }
      }
      """;

  private final SparkSession spark;
  private Path root;
  private Path config;
  private Path grouping;

  DeltaHistoryRollbackTest(SparkSession spark) {
    this.spark = spark;
  }

  @BeforeEach
  void writeConfig(@TempDir Path dir) throws Exception {
    root = dir.resolve("data");
    config = dir.resolve("delta.conf");
    grouping = dir.resolve("tasks.conf");
    Files.writeString(config, CONFIG.replace("ROOT", root.toString()));
    Files.writeString(grouping, GROUPING);
  }

  private String table(String dataset) {
    return root.resolve("delta/" + dataset).toString();
  }

  private static String metadata(String task, String date, String runId, String dataset) {
    return "{\"stepwise\":1,\"pipeline\":\"delta_history\",\"grouping\":\"tasks\",\"task\":\"" + task + "\",\"run_id\":\""
        + runId + "\",\"run_date\":\"" + date + "\",\"config_fingerprint\":\"abc123\",\"dataset\":\"" + dataset + "\"}";
  }

  /** A commit as a Stepwise run makes it: its rows, with the run in the commit's user metadata. */
  private void commitByRun(String dataset, String task, String date, String runId, int rows) {
    rowsOf(rows).write().format("delta").mode(SaveMode.Overwrite)
        .option("userMetadata", metadata(task, date, runId, dataset)).save(table(dataset));
  }

  /** A commit by someone else: no metadata, or metadata of another tool. */
  private void commitByOther(String dataset, int rows, boolean withForeignMetadata) {
    var writer = rowsOf(rows).write().format("delta").mode(SaveMode.Append);
    if (withForeignMetadata) {
      writer = writer.option("userMetadata", "{\"tool\":\"backfill-notebook\"}");
    }
    writer.save(table(dataset));
  }

  private Dataset<Row> rowsOf(int n) {
    return spark.range(n).selectExpr("CAST(id AS STRING) AS key", "CAST(id * 10 AS INT) AS amount");
  }

  private long latestVersion(String dataset) {
    return io.delta.tables.DeltaTable.forPath(spark, table(dataset)).history(1).first().getLong(0);
  }

  private List<String> rows(String dataset, long version) {
    return spark.read().format("delta").option("versionAsOf", version).load(table(dataset))
        .orderBy("key").collectAsList().stream().map(Row::toString).toList();
  }

  private List<String> rowsNow(String dataset) {
    return spark.read().format("delta").load(table(dataset)).orderBy("key").collectAsList().stream()
        .map(Row::toString).toList();
  }

  private Cli.Result cli(String... args) {
    return Cli.withSession(spark).run(args);
  }

  private Cli.Result rollback(String task, String date, String... more) {
    String[] base = {"rollback", "--task", task, "--run-date", date, "--config", config.toString(), "--grouping",
        grouping.toString()};
    String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return cli(all);
  }

  @Test
  void historyListsEachVersionWithTheRunThatWroteIt() throws Exception {
    Cli.Result none = cli("history", "events", "--config", config.toString());
    assertEquals(ExitCodes.RUN_FAILED, none.exitCode(), none.toString());
    assertTrue(none.err().contains("has no Delta table at " + table("events") + " yet"), none.toString());

    rowsOf(2).write().parquet(table("event_counts"));
    Cli.Result parquet = cli("history", "event_counts", "--config", config.toString());
    assertEquals(ExitCodes.RUN_FAILED, parquet.exitCode(), parquet.toString());
    assertTrue(parquet.err().contains("is declared delta, but " + table("event_counts") + " holds other data"),
        parquet.toString());

    commitByRun("events", "ingest", D1, "run-1", 3);
    commitByOther("events", 1, true);
    commitByRun("events", "ingest", D2, "run-2", 4);
    commitByOther("events", 2, false);

    Cli.Result text = cli("history", "events", "--config", config.toString(), "--grouping", grouping.toString());
    assertEquals(ExitCodes.OK, text.exitCode(), text.toString());
    List<String> lines = text.out().lines().toList();
    assertTrue(lines.get(0).startsWith("history of events (Delta table at " + table("events") + "): 4 versions"), text.out());
    assertTrue(lines.get(2).matches("3\\s+\\S+\\s+WRITE\\s+not Stepwise"), text.out());
    assertTrue(lines.get(3).matches("2\\s+\\S+\\s+WRITE\\s+task ingest, run date 2026-11-22, run run-2 \\(grouping tasks, config abc123\\)"),
        text.out());
    assertTrue(lines.get(4).matches("1\\s+\\S+\\s+WRITE\\s+not Stepwise"), "another tool's metadata is not a run: " + text.out());
    assertTrue(lines.get(5).matches("0\\s+\\S+\\s+WRITE\\s+task ingest, run date 2026-11-21, run run-1 .*"), text.out());

    Cli.Result json = cli("history", "events", "--config", config.toString(), "--format", "json");
    assertEquals(ExitCodes.OK, json.exitCode(), json.toString());
    JsonNode doc = new ObjectMapper().readTree(json.out());
    assertEquals("events", doc.get("dataset").asText());
    assertEquals(4, doc.get("versions").size());
    List<Long> textOrder = lines.stream().skip(2).map(l -> Long.parseLong(l.split("\\s+")[0])).toList();
    List<Long> jsonOrder = new java.util.ArrayList<>();
    doc.get("versions").forEach(v -> jsonOrder.add(v.get("version").asLong()));
    assertEquals(List.of(3L, 2L, 1L, 0L), jsonOrder, "newest first, as Delta's DESCRIBE HISTORY: " + json.out());
    assertEquals(textOrder, jsonOrder, "text and JSON list the versions in one order");
    for (JsonNode version : doc.get("versions")) {
      assertEquals(version.get("version").asLong() % 2 == 0, !version.get("stepwise").isNull(), json.out());
    }
    JsonNode first = doc.get("versions").get(3).get("stepwise");
    assertEquals("ingest", first.get("task").asText());
    assertEquals(D1, first.get("run_date").asText());
    assertEquals("run-1", first.get("run_id").asText());
    assertEquals("abc123", first.get("config_fingerprint").asText());
  }

  @Test
  void badDatasetsAndTasksAreUsageErrorsBeforeSpark() {
    Cli noSpark = Cli.withoutSpark();
    Cli.Result unknown = noSpark.run("history", "event", "--config", config.toString());
    assertEquals(ExitCodes.USAGE, unknown.exitCode(), unknown.toString());
    assertTrue(unknown.err().contains("no dataset 'event'") && unknown.err().contains("events")
        && unknown.err().contains("its Delta datasets: events, event_counts, totals"), unknown.toString());

    Cli.Result parquet = noSpark.run("history", "summary", "--config", config.toString());
    assertEquals(ExitCodes.USAGE, parquet.exitCode(), parquet.toString());
    assertTrue(parquet.err().contains("dataset 'summary' is stored as parquet, not delta")
        && parquet.err().contains("set format = delta"), parquet.toString());

    Cli.Result noDelta = noSpark.run("rollback", "--task", "audit", "--run-date", D1, "--config", config.toString(),
        "--grouping", grouping.toString());
    assertEquals(ExitCodes.USAGE, noDelta.exitCode(), noDelta.toString());
    assertTrue(noDelta.err().contains("task 'audit' publishes no Delta dataset (it writes: summary as parquet)"),
        noDelta.toString());

    Cli.Result noTask = noSpark.run("rollback", "--task", "ingets", "--run-date", D1, "--config", config.toString(),
        "--grouping", grouping.toString());
    assertEquals(ExitCodes.USAGE, noTask.exitCode(), noTask.toString());
    assertTrue(noTask.err().contains("no task 'ingets'"), noTask.toString());

    Cli.Result noDate = noSpark.run("rollback", "--task", "ingest", "--config", config.toString());
    assertEquals(ExitCodes.USAGE, noDate.exitCode(), noDate.toString());
  }

  @Test
  void rollbackRestoresEveryDatasetOfTheTaskOrNone() throws Exception {
    commitByOther("events", 5, false);                      // events v0: loaded by hand before Stepwise
    commitByRun("events", "ingest", D1, "run-1", 3);        // events v1
    commitByRun("event_counts", "ingest", D1, "run-1", 1);  // event_counts v0
    commitByRun("events", "ingest", D2, "run-2", 4);        // events v2
    commitByRun("event_counts", "ingest", D2, "run-2", 2);  // event_counts v1

    // D1 has D2's run on top in both tables: refused, nothing changed.
    Cli.Result refused = rollback("ingest", D1);
    assertEquals(ExitCodes.RUN_FAILED, refused.exitCode(), refused.toString());
    assertTrue(refused.out().contains("events: refused: version 2 (WRITE by run run-2 (task ingest, run date 2026-11-22))"
        + " was written on top of version 1"), refused.toString());
    assertTrue(refused.err().contains("no dataset was changed"), refused.toString());
    assertEquals(2, latestVersion("events"));
    assertEquals(1, latestVersion("event_counts"));

    Cli.Result dry = rollback("ingest", D2, "--dry-run");
    assertEquals(ExitCodes.OK, dry.exitCode(), dry.toString());
    assertTrue(dry.out().contains("events: restore version 1, undoing version 2"), dry.toString());
    assertTrue(dry.out().contains("event_counts: restore version 0, undoing version 1"), dry.toString());
    assertEquals(2, latestVersion("events"), "a dry run changes nothing");
    assertEquals(1, latestVersion("event_counts"), "a dry run changes nothing");

    Cli.Result done = rollback("ingest", D2);
    assertEquals(ExitCodes.OK, done.exitCode(), done.toString());
    assertTrue(done.out().contains("restored events to version 1 (undid version 2, run run-2)"), done.toString());
    assertTrue(done.out().contains("restored event_counts to version 0 (undid version 1, run run-2)"), done.toString());
    assertEquals(rows("events", 1), rowsNow("events"));
    assertEquals(rows("event_counts", 0), rowsNow("event_counts"));
    Cli.Result history = cli("history", "events", "--config", config.toString());
    assertTrue(history.out().lines().skip(2).findFirst().orElseThrow()
        .matches("3\\s+\\S+\\s+RESTORE\\s+stepwise rollback of version 2 \\(task ingest, run date 2026-11-22\\)"),
        history.toString());

    Cli.Result again = rollback("ingest", D2);
    assertEquals(ExitCodes.OK, again.exitCode(), again.toString());
    assertTrue(again.out().contains("rolled back already by version 3"), again.toString());
    assertEquals(3, latestVersion("events"), "rolling back twice restores once");

    // D3 wrote both tables, then another writer appended to one: refused in both, restored in neither.
    commitByRun("events", "ingest", D3, "run-3", 6);        // events v4
    commitByRun("event_counts", "ingest", D3, "run-3", 1);  // event_counts v3
    commitByOther("event_counts", 1, true);                // event_counts v4
    Cli.Result mixed = rollback("ingest", D3);
    assertEquals(ExitCodes.RUN_FAILED, mixed.exitCode(), mixed.toString());
    assertTrue(mixed.out().contains("events: restore version 3"), mixed.toString());
    assertTrue(mixed.out().contains("event_counts: refused: version 4 (WRITE by a writer other than Stepwise)"),
        mixed.toString());
    assertEquals(4, latestVersion("events"), "the restorable table was left as it was too");
    assertEquals(4, latestVersion("event_counts"));

    // A date the task never wrote: nothing to do is a failure (a wrong date, most likely).
    Cli.Result never = rollback("ingest", "2026-01-01");
    assertEquals(ExitCodes.RUN_FAILED, never.exitCode(), never.toString());
    assertTrue(never.err().contains("has no Delta commit for run date 2026-01-01"), never.toString());
  }

  @Test
  void aRunThatCreatedTheTableIsNotRolledBack() {
    commitByRun("totals", "report", D1, "run-9", 2);
    Cli.Result result = rollback("report", D1);
    assertEquals(ExitCodes.RUN_FAILED, result.exitCode(), result.toString());
    assertTrue(result.out().contains("created the table (version 0), so there is no version before it to restore"),
        result.toString());
    assertEquals(0, latestVersion("totals"));
  }

  @Test
  void aRunningTaskOfThatDateHoldsTheRollbackOff() throws Exception {
    commitByOther("totals", 1, false);
    commitByRun("totals", "report", D2, "run-7", 2);
    Path lock = root.resolve("delta/.totals.stepwise-lock");
    Files.writeString(lock, "host=" + InetAddress.getLocalHost().getHostName() + "\npid=" + ProcessHandle.current().pid()
        + "\nrun=run-8\nsince=2026-11-22T03:00:00Z\n");
    Cli.Result held = rollback("report", D2);
    assertEquals(ExitCodes.RUN_FAILED, held.exitCode(), held.toString());
    assertTrue(held.err().contains("is being written by run run-8"), held.toString());
    assertEquals(1, latestVersion("totals"));
    Files.delete(lock);

    Cli.Result done = rollback("report", D2);
    assertEquals(ExitCodes.OK, done.exitCode(), done.toString());
    assertFalse(Files.exists(lock), "the rollback released its lock");
    assertEquals(rows("totals", 0), rowsNow("totals"));
  }
}
