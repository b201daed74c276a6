package dev.stepwise.entrypoint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.testing.SparkTest;
import io.delta.tables.DeltaTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Delta dataset named by a catalog table ({@code format = delta, table = sales.totals}) across
 * processes, each a JVM of its own as under bin/stepwise or spark-submit, with the Hive catalog
 * Stepwise puts under the storage root (wrapped by Delta's DeltaCatalog): the first run creates the
 * table, the next process finds it by name and replaces only its own run date, reads it back by
 * name, and {@code history} and {@code rollback} (RESTORE by name) work on it from further processes.
 */
@SparkTest
class DeltaTableAcrossProcessesTest {
  private static final String D1 = "2026-11-21";
  private static final String D2 = "2026-11-22";
  private static final String CONFIG = """
      pipeline { name = delta_by_name, storage_root = "ROOT" }
      datasets {
        amounts {
          format = csv
          path = ${pipeline.storage_root}"/raw/amounts/run_date={run_date}"
          options { header = "true" }
          schema = "key STRING, amount INT"
        }
        totals { format = delta, table = sales.totals, partition_by = [run_date], run_date_column = run_date }
        report { format = parquet, path = ${pipeline.storage_root}"/report/run_date={run_date}" }
      }
      steps {
        total {
          type = sql
          inputs { amounts = amounts }
          outputs { result = totals }
          params { query = "SELECT key, CAST(SUM(amount) AS INT) AS amount FROM amounts GROUP BY key" }
        }
        read_back {
          type = sql
          inputs { totals = totals }
          outputs { result = report }
          params { query = "SELECT key, amount FROM totals" }
        }
      }
      """;

  private final SparkSession spark;

  DeltaTableAcrossProcessesTest(SparkSession spark) {
    this.spark = spark;
  }

  @Test
  void aTableNamedInTheCatalogIsWrittenReadAndRolledBackByOtherProcesses(@TempDir Path dir) throws Exception {
    Path root = dir.resolve("data");
    Path config = dir.resolve("delta-by-name.conf");
    Files.writeString(config, CONFIG.replace("ROOT", root.toString()));
    deliver(root, D1, "a,1\na,2\nb,5\n");
    deliver(root, D2, "a,10\nc,7\n");

    ChildStepwise.Result first = ChildStepwise.run(dir.resolve("first.log"), "run", "--task", "total",
        "--config", config.toString(), "--grouping", "per-step", "--run-date", D1);
    assertEquals(0, first.exitCode(), first.toString());
    ChildStepwise.Result second = ChildStepwise.run(dir.resolve("second.log"), "run", "--all",
        "--config", config.toString(), "--grouping", "per-step", "--run-date", D2);
    assertEquals(0, second.exitCode(), "the table the first process created is found by name: " + second);

    assertEquals(List.of("[a,10]", "[c,7]"), rows(spark.read().parquet(root.resolve("report/run_date=" + D2).toString())
        .orderBy("key").collectAsList()), "the read by name got its run date's rows only");
    Path folder = root.resolve("_catalog/warehouse/sales.db/totals");
    assertTrue(Files.isDirectory(folder.resolve("_delta_log")), "a managed table in the warehouse below the root");
    assertEquals(List.of("[a,3," + D1 + "]", "[a,10," + D2 + "]", "[b,5," + D1 + "]", "[c,7," + D2 + "]"),
        rows(spark.read().format("delta").load(folder.toString()).orderBy("key", "run_date").collectAsList()),
        "the second process replaced its own run date only");

    ChildStepwise.Result history = ChildStepwise.run(dir.resolve("history.log"), "history", "totals",
        "--config", config.toString(), "--format", "json");
    assertEquals(0, history.exitCode(), history.toString());
    String json = history.output().substring(history.output().indexOf('{'), history.output().lastIndexOf('}') + 1);
    JsonNode doc = new ObjectMapper().readTree(json);
    assertEquals("sales.totals", doc.get("table").asText(), json);
    List<String> versions = new ArrayList<>();
    doc.get("versions").forEach(v -> versions.add(v.get("version").asLong() + " " + v.get("stepwise").get("task").asText()
        + " " + v.get("stepwise").get("run_date").asText()));
    assertEquals(List.of("1 total " + D2, "0 total " + D1), versions, "newest first, each with its run: " + json);

    ChildStepwise.Result rollback = ChildStepwise.run(dir.resolve("rollback.log"), "rollback", "--task", "total",
        "--run-date", D2, "--config", config.toString(), "--grouping", "per-step");
    assertEquals(0, rollback.exitCode(), rollback.toString());
    assertTrue(rollback.output().contains("restored totals to version 0 (undid version 1"), rollback.toString());
    assertEquals(List.of("[a,3," + D1 + "]", "[b,5," + D1 + "]"),
        rows(spark.read().format("delta").load(folder.toString()).orderBy("key").collectAsList()));
    Row restore = DeltaTable.forPath(spark, folder.toString()).history(1).select("version", "operation").first();
    assertEquals("[2,RESTORE]", restore.toString(), "the rollback is a RESTORE commit of the table");
  }

  private static void deliver(Path root, String day, String rows) throws Exception {
    Path raw = Files.createDirectories(root.resolve("raw/amounts/run_date=" + day));
    Files.writeString(raw.resolve("a.csv"), "key,amount\n" + rows);
  }

  private static List<String> rows(List<Row> rows) {
    return rows.stream().map(Row::toString).toList();
  }
}
