package dev.stepwise.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.core.config.GroupingLoader;
import dev.stepwise.core.config.PipelineConfigLoader;
import dev.stepwise.core.io.DeltaSessionSettings;
import dev.stepwise.core.io.DeltaTableException;
import dev.stepwise.core.io.StepwiseCommit;
import dev.stepwise.core.model.ConfigSource;
import dev.stepwise.core.model.PipelineConfig;
import dev.stepwise.core.model.RunContext;
import dev.stepwise.core.plan.Planner;
import dev.stepwise.core.plan.TaskPlan;
import dev.stepwise.core.quality.ExpectationFailedException;
import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delta datasets named by a catalog table ({@code table = db.name}), published and read by real
 * runs in one local SparkSession whose session catalog Delta's DeltaCatalog wraps (Spark's in-memory
 * one here; across processes, Stepwise's Hive catalog: see the entry point's
 * DeltaTableAcrossProcessesTest). The first run creates a managed table in the warehouse below the
 * storage root; every run is one labelled commit replacing its run date; a table of that name that
 * is not Delta, or a folder outside the root, is refused with nothing written.
 */
class DeltaTableNameTest {
  private static final LocalDate DAY = LocalDate.parse("2026-11-21");
  private static SparkSession spark;
  @TempDir static Path scratch;

  @BeforeAll
  static void startSpark() {
    SparkSession.Builder builder = SparkSession.builder();
    DeltaSessionSettings.forDelta().forEach(builder::config);
    spark = builder.appName("stepwise-core-delta-by-name-tests")
        .config(DeltaSessionSettings.SNAPSHOT_PARTITIONS, "1")
        .master("local[1]")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "1")
        .config("spark.sql.session.timeZone", "UTC")
        // Stepwise's own catalog puts the warehouse below the storage root; so does this test's.
        .config("spark.sql.warehouse.dir", scratch.resolve("root/_catalog/warehouse").toUri().toString())
        .config("spark.local.dir", scratch.resolve("local").toString())
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate();
    spark.sparkContext().setLogLevel("OFF");
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  private static final class Pipeline {
    final Path config;
    final Path raw;

    /** double: events of a run date into {@code doubled}; tally: one run date of it into {@code totals}. */
    Pipeline(String name, Path storageRoot, String doubledTable, String totalsTable, String extra) throws IOException {
      this.raw = scratch.resolve("raw-" + name);
      this.config = scratch.resolve(name + ".conf");
      Files.writeString(config, """
          pipeline { name = tiny_delta, storage_root = "%1$s" }
          datasets {
            events { format = json, path = "%2$s/run_date={run_date}", schema = "id INT, n INT", root = "%2$s" }
            doubled { format = delta, table = %3$s, partition_by = [run_date], run_date_column = run_date
              %5$s }
            totals { format = delta, table = %4$s }
          }
          steps {
            double { type = double_n, inputs { in = events }, outputs { out = doubled } }
            tally { type = tally, inputs { in = doubled }, outputs { out = totals } }
          }
          """.formatted(storageRoot.toAbsolutePath(), raw.toAbsolutePath(), doubledTable, totalsTable, extra));
    }

    void deliver(LocalDate date, int rows) throws IOException {
      Path folder = Files.createDirectories(raw.resolve("run_date=" + date));
      Files.writeString(folder.resolve("events.json"), IntStream.rangeClosed(1, rows)
          .mapToObj(i -> "{\"id\": " + i + ", \"n\": " + i + "}").collect(Collectors.joining("\n", "", "\n")));
    }

    TaskResult run(String task, LocalDate date) {
      PipelineConfig pipeline = new PipelineConfigLoader(DeltaPipeline.CATALOG).load(ConfigSource.file(config), Map.of());
      TaskPlan plan = Planner.plan(pipeline, GroupingLoader.perStep(pipeline)).task(task).orElseThrow();
      return new TaskRunner(spark, RunListener.NONE).run(plan, RunContext.of(date, Map.of()).named("tiny_delta", "per-step"));
    }
  }

  private static Path root() {
    return scratch.resolve("root");
  }

  @Test
  void runsCreateThenReplaceTheirRunDateInOneLabelledCommitEach() throws Exception {
    Pipeline pipeline = new Pipeline("good", root(), "sales.doubled", "totals", "");
    Map<LocalDate, Integer> expected = new TreeMap<>();
    List<Object[]> runs = List.of(new Object[] {DAY, 3}, new Object[] {DAY.plusDays(1), 5}, new Object[] {DAY, 2});
    for (int i = 0; i < runs.size(); i++) {
      LocalDate date = (LocalDate) runs.get(i)[0];
      int rows = (Integer) runs.get(i)[1];
      pipeline.deliver(date, rows);
      pipeline.run("double", date);
      expected.put(date, rows);

      Map<LocalDate, Integer> held = new TreeMap<>();
      for (Row r : spark.table("sales.doubled").groupBy("run_date").count().collectAsList()) {
        held.put(r.getDate(0).toLocalDate(), (int) r.getLong(1));
      }
      assertEquals(expected, held, "run " + i + ": a re-run replaces its date, never appends");
      List<Row> history = DeltaTable.forName(spark, "sales.doubled").history()
          .select("version", "userMetadata").orderBy("version").collectAsList();
      assertEquals(i + 1, history.size(), "one commit per run, the table's creation included: " + history);
      StepwiseCommit info = StepwiseCommit.parse(history.get(i).getString(1)).orElseThrow(
          () -> new AssertionError("no Stepwise metadata in " + history));
      assertEquals(new StepwiseCommit("tiny_delta", "per-step", "double", info.runId(), Optional.of(date),
          info.configFingerprint(), "doubled"), info);
    }
    // A managed table in its database's folder of the warehouse below the storage root, nothing beside it.
    String location = DeltaTable.forName(spark, "sales.doubled").detail().select("location").first().getString(0);
    Path database = root().resolve("_catalog/warehouse/sales.db");
    assertEquals(database.resolve("doubled"), Path.of(java.net.URI.create(location)));
    assertEquals("MANAGED", spark.catalog().getTable("sales.doubled").tableType());
    try (Stream<Path> beside = Files.list(database)) {
      assertEquals(List.of("doubled"), beside.map(p -> p.getFileName().toString()).toList());
    }

    // A reader of one run date, by name, gets that date's rows; a table without run dates is replaced whole.
    for (LocalDate date : expected.keySet()) {
      pipeline.run("tally", date);
      List<Row> totals = spark.table("totals").collectAsList();
      assertEquals(1, totals.size(), "totals is replaced, not appended: " + totals);
      assertEquals((long) expected.get(date), totals.get(0).getLong(0), "tally of " + date);
    }
    // A run date the table does not hold is a missing input, named.
    MissingInputException missing = assertThrows(MissingInputException.class,
        () -> pipeline.run("tally", DAY.minusDays(5)));
    assertTrue(missing.getMessage().contains("input 'doubled' has no data for run date " + DAY.minusDays(5)
        + " in the Delta table sales.doubled at") && missing.getMessage().contains("run that task first"),
        missing.getMessage());
  }

  @Test
  void aFailedExpectationCreatesNoTableAndCommitsNothing() throws Exception {
    Pipeline pipeline = new Pipeline("expect", root(), "audited.doubled", "audited.totals",
        "expectations { few { row_count { max = 3 } } }");
    pipeline.deliver(DAY, 5);
    assertThrows(ExpectationFailedException.class, () -> pipeline.run("double", DAY));
    assertFalse(spark.catalog().tableExists("audited.doubled"), "no table made by a failed run");
    assertFalse(Files.exists(root().resolve("_catalog/warehouse/audited.db/doubled/_delta_log")));
    pipeline.deliver(DAY, 2);
    pipeline.run("double", DAY);
    pipeline.deliver(DAY, 4);
    assertThrows(ExpectationFailedException.class, () -> pipeline.run("double", DAY));
    assertEquals(1, DeltaTable.forName(spark, "audited.doubled").history().count(), "the failed re-run committed nothing");
    assertEquals(2, spark.table("audited.doubled").count());
  }

  /** Tables of other formats, as format = table and SQL make them: a corpus, each refused for writes and reads. */
  @Test
  void aCatalogTableThatIsNotDeltaIsNeitherReadNorWritten() throws Exception {
    spark.sql("CREATE DATABASE IF NOT EXISTS other");
    // what the catalog calls it -> how it is made (null: as format = table publishes, saveAsTable)
    List<String[]> kinds = List.of(
        new String[] {"a parquet table", null},
        new String[] {"a parquet table", "CREATE TABLE other.%s USING parquet AS SELECT 1 AS id, 2 AS n"},
        new String[] {"a parquet table", "CREATE TABLE other.%s USING parquet PARTITIONED BY (run_date) AS SELECT"
            + " 1 AS id, 2 AS n, DATE'2026-11-21' AS run_date"},
        new String[] {"a csv table", "CREATE TABLE other.%s (id INT, n INT) USING csv"},
        new String[] {"a json table", "CREATE TABLE other.%s USING json AS SELECT 1 AS id, 2 AS n"},
        new String[] {"a orc table", "CREATE TABLE other.%s USING orc AS SELECT 1 AS id, 2 AS n"},
        new String[] {"a view", "CREATE VIEW other.%s AS SELECT 1 AS id, 2 AS n"});
    int i = 0;
    for (String[] kind : kinds) {
      String name = "other.t" + i++;
      if (kind[1] == null) {
        spark.range(1).write().saveAsTable(name);
      } else {
        spark.sql(kind[1].formatted(name.substring("other.".length())));
      }
      long rows = spark.table(name).count();
      Pipeline pipeline = new Pipeline("foreign-" + i, root(), name, "other.totals_" + i, "");
      pipeline.deliver(DAY, 3);
      DeltaTableException write = assertThrows(DeltaTableException.class, () -> pipeline.run("double", DAY), name);
      assertTrue(write.getMessage().contains("dataset 'doubled'") && write.getMessage().contains("is " + kind[0]
          + ", not a Delta table") && write.getMessage().contains("CONVERT TO DELTA " + name), write.getMessage());
      DeltaTableException read = assertThrows(DeltaTableException.class, () -> pipeline.run("tally", DAY), name);
      assertTrue(read.getMessage().contains("not a Delta table"), read.getMessage());
      assertFalse(spark.catalog().tableExists("other.totals_" + i), "the reading task published nothing");
      assertEquals(rows, spark.table(name).count(), kind[0] + ": left as it was");
    }
    assertEquals(7, i, "kinds checked");
  }

  @Test
  void aTableFolderOutsideTheStorageRootIsRefused() throws Exception {
    Path elsewhere = Files.createDirectories(scratch.resolve("elsewhere"));
    Pipeline pipeline = new Pipeline("outside", elsewhere, "far.doubled", "far.totals", "");
    pipeline.deliver(DAY, 3);
    DeltaTableException e = assertThrows(DeltaTableException.class, () -> pipeline.run("double", DAY));
    assertTrue(e.getMessage().contains("is not below the dataset's storage root")
        && e.getMessage().contains("far.db/doubled"), e.getMessage());
    assertFalse(spark.catalog().tableExists("far.doubled"));
    assertFalse(Files.exists(root().resolve("_catalog/warehouse/far.db")), "nothing written, no database made");
  }
}
