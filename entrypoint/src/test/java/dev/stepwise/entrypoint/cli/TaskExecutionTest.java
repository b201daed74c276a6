package dev.stepwise.entrypoint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.testing.SparkTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** What a task writes, keeps in memory, and does on a re-run, seen on disk after real runs. */
@SparkTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TaskExecutionTest {
  private static final String DAY = "run_date=" + ExamplePipeline.RUN_DATE;
  private final SparkSession spark;
  private Path dir;
  private ExamplePipeline pipeline;

  TaskExecutionTest(SparkSession spark) {
    this.spark = spark;
  }

  @BeforeAll
  void runIngestOfDaily(@TempDir Path dir) {
    this.dir = dir;
    pipeline = new ExamplePipeline(Cli.withSession(spark), dir.resolve("data"));
    pipeline.generate(300);
    Cli.Result result = pipeline.command("run", "--task", "ingest", "--grouping", "daily",
        "--run-date", ExamplePipeline.RUN_DATE);
    assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
  }

  @Test
  void aDatasetReadByAnotherTaskIsWritten() {
    assertTrue(Files.isDirectory(pipeline.root().resolve("work/classified_payments/" + DAY)));
  }

  @Test
  void aDatasetUsedOnlyInsideItsTaskIsNotWritten() {
    for (String internal : List.of("payment_events", "unique_payments", "normalized_payments", "enriched_payments")) {
      assertFalse(Files.exists(pipeline.root().resolve("work/" + internal)), internal + " should stay in memory");
    }
  }

  @Test
  void checkpointedDatasetsAreWrittenEvenWhenReadInTheirOwnTask() {
    assertTrue(Files.isDirectory(pipeline.root().resolve("quarantine/malformed_payment_events/" + DAY)));
  }

  @Test
  void noStagingFoldersAreLeftBehind() throws IOException {
    try (Stream<Path> files = Files.walk(pipeline.root())) {
      assertTrue(files.noneMatch(p -> p.getFileName().toString().contains(".stepwise-")),
          "staging and previous-run folders are removed after publishing");
    }
  }

  @Test
  void aReRunReplacesItsOutputsInsteadOfAppending() {
    Path output = pipeline.root().resolve("work/classified_payments/" + DAY);
    List<String> first = ExamplePipeline.rows(spark, output, "parquet");
    Cli.Result again = pipeline.command("run", "--task", "ingest", "--grouping", "daily",
        "--run-date", ExamplePipeline.RUN_DATE);
    assertEquals(ExitCodes.OK, again.exitCode(), again.toString());
    assertEquals(first, ExamplePipeline.rows(spark, output, "parquet"));
  }

  @Test
  void aTaskWhoseInputIsMissingFailsBeforeSparkWithTheDatasetAndPath() {
    ExamplePipeline empty = new ExamplePipeline(Cli.withoutSpark(), dir.resolve("empty"));
    Cli.Result result = empty.command("run", "--task", "reporting", "--grouping", "daily",
        "--run-date", ExamplePipeline.RUN_DATE);
    assertEquals(ExitCodes.RUN_FAILED, result.exitCode(), result.toString());
    assertTrue(result.err().contains("input 'payments_with_fees' has no data at"), result.toString());
    assertTrue(result.err().contains("written by task 'ledger'"), result.toString());
  }

  @Test
  void progressNamesEveryStepAndWhatWasWritten() {
    Cli.Result result = pipeline.command("run", "--task", "ingest", "--grouping", "daily",
        "--run-date", ExamplePipeline.RUN_DATE);
    for (String step : List.of("parse_events", "deduplicate", "normalize_currencies", "enrich_with_bookings", "classify")) {
      assertTrue(result.out().contains("> " + step) && result.out().contains("< " + step), result.toString());
    }
    assertTrue(result.out().contains("wrote classified_payments"), result.toString());
  }
}
