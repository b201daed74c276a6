package dev.stepwise.entrypoint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.testing.SparkTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code format = table} dataset that one process writes is there for the next process: each task
 * runs in a JVM of its own, as under bin/stepwise or spark-submit, with the embedded metastore
 * Stepwise puts under the storage root. A metastore another process holds is a clear failure.
 */
@SparkTest
class TableAcrossProcessesTest {
  private final SparkSession spark;

  TableAcrossProcessesTest(SparkSession spark) {
    this.spark = spark;
  }

  private static final String CONFIG = """
      pipeline { name = tables_across_processes, storage_root = "ROOT" }
      datasets {
        amounts {
          format = csv
          path = ${pipeline.storage_root}"/raw/amounts/run_date={run_date}"
          options { header = "true" }
          schema = "key STRING, amount INT, day STRING"
        }
        totals { format = table, table = totals, partition_by = [day] }
        report { format = parquet, path = ${pipeline.storage_root}"/report/run_date={run_date}" }
      }
      steps {
        total {
          type = sql
          inputs { amounts = amounts }
          outputs { result = totals }
          params { query = "SELECT key, CAST(SUM(amount) AS INT) AS amount, day FROM amounts GROUP BY key, day" }
        }
        read_back {
          type = sql
          inputs { totals = totals }
          outputs { result = report }
          params { query = "SELECT key, amount, day FROM totals" }
        }
      }
      """;

  @Test
  void aTableWrittenByOneProcessIsReadByTheNext(@TempDir Path dir) throws Exception {
    Path root = dir.resolve("data");
    Path config = dir.resolve("tables.conf");
    Files.writeString(config, CONFIG.replace("ROOT", root.toString()));
    for (String day : List.of("2026-11-21", "2026-11-22")) {
      Path raw = Files.createDirectories(root.resolve("raw/amounts/run_date=" + day));
      Files.writeString(raw.resolve("a.csv"), "key,amount,day\na,1," + day + "\na,2," + day + "\nb,5," + day + "\n");
    }

    ChildStepwise.Result first = ChildStepwise.run(dir.resolve("first.log"), "run", "--task", "total",
        "--config", config.toString(), "--grouping", "per-step", "--run-date", "2026-11-21");
    assertEquals(0, first.exitCode(), first.toString());
    ChildStepwise.Result second = ChildStepwise.run(dir.resolve("second.log"), "run", "--task", "total",
        "--config", config.toString(), "--grouping", "per-step", "--run-date", "2026-11-22");
    assertEquals(0, second.exitCode(), second.toString());
    ChildStepwise.Result reader = ChildStepwise.run(dir.resolve("reader.log"), "run", "--task", "read_back",
        "--config", config.toString(), "--grouping", "per-step", "--run-date", "2026-11-22");
    assertEquals(0, reader.exitCode(), "the table written by the processes before is there: " + reader);

    List<String> report = spark.read().parquet(root.resolve("report/run_date=2026-11-22").toString())
        .orderBy("day", "key").collectAsList().stream().map(Row::toString).toList();
    assertEquals(List.of("[a,3,2026-11-21]", "[b,5,2026-11-21]", "[a,3,2026-11-22]", "[b,5,2026-11-22]"), report,
        "the reader saw both partitions: each written by another process, the second not replacing the first");
    assertTrue(Files.isDirectory(root.resolve("_catalog/metastore_db")), "the metastore lives under the storage root");
    assertTrue(Files.isDirectory(root.resolve("_catalog/warehouse")), "so does the warehouse");
    assertFalse(Files.exists(dir.resolve("metastore_db")), "nothing in the working directory");
    assertFalse(Files.exists(dir.resolve("derby.log")), "nothing in the working directory");

    // Another process holding the embedded metastore: the run fails before computing, saying what to do.
    String database = root.resolve("_catalog/metastore_db").toString();
    // Derby of this JVM logs beside the database too, not into the module's folder.
    System.setProperty("derby.stream.error.file", root.resolve("_catalog/derby-test.log").toString());
    try (Connection held = DriverManager.getConnection("jdbc:derby:;databaseName=" + database)) {
      ChildStepwise.Result blocked = ChildStepwise.run(dir.resolve("blocked.log"), "run", "--task", "total",
          "--config", config.toString(), "--grouping", "per-step", "--run-date", "2026-11-22");
      assertEquals(ExitCodes.RUN_FAILED, blocked.exitCode(), blocked.toString());
      assertTrue(blocked.output().contains("is in use by another process")
          && blocked.output().contains("spark.hadoop.hive.metastore.uris"), blocked.toString());
      assertFalse(blocked.output().contains("\tat "), "no stack trace without --verbose: " + blocked);
      assertFalse(blocked.output().contains("wrote totals"), "it failed before computing: " + blocked);
    } finally {
      shutDown(database);
      System.clearProperty("derby.stream.error.file");
    }
  }

  private static void shutDown(String database) {
    try {
      DriverManager.getConnection("jdbc:derby:;databaseName=" + database + ";shutdown=true").close();
    } catch (SQLException expected) {
      // Derby reports a clean shutdown of one database as SQL state 08006.
    }
  }
}
