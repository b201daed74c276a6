package dev.stepwise.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.core.io.StepwiseCommit;
import dev.stepwise.core.quality.ExpectationFailedException;
import io.delta.tables.DeltaTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delta datasets published by real runs in a real local SparkSession: each publish is one commit that
 * replaces its run date's partition (or the whole table) and says which run made it; a run whose
 * expectation fails commits nothing.
 */
class DeltaPublishTest {
  private static SparkSession spark;
  @TempDir static Path scratch;

  @BeforeAll
  static void startSpark() {
    spark = DeltaPipeline.session(scratch.resolve("spark"));
    spark.sparkContext().setLogLevel("ERROR");
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  /**
   * A seeded sequence of runs over a few run dates, re-runs included: after each, the table holds for
   * every date exactly the rows of the last run of that date (a re-run replaces, never appends), one
   * more commit is there, and it names that run.
   */
  @Test
  void everyRunReplacesExactlyItsRunDateInOneLabelledCommit() throws Exception {
    DeltaPipeline pipeline = new DeltaPipeline(scratch.resolve("sequence"));
    Random random = new Random(16);
    List<LocalDate> dates = List.of(LocalDate.parse("2026-11-20"), LocalDate.parse("2026-11-21"),
        LocalDate.parse("2026-11-22"));
    Map<LocalDate, Integer> expected = new TreeMap<>();
    for (int i = 0; i < 5; i++) {
      LocalDate date = dates.get(random.nextInt(dates.size()));
      int rows = 1 + random.nextInt(6);
      pipeline.deliverEvents(date, rows);
      pipeline.run(spark, "double", date);
      expected.put(date, rows);

      Map<LocalDate, Integer> held = new TreeMap<>();
      for (Row r : spark.read().format("delta").load(pipeline.doubled().toString())
          .groupBy("run_date").count().collectAsList()) {
        held.put(r.getDate(0).toLocalDate(), (int) r.getLong(1));
      }
      assertEquals(expected, held, "run " + i + " of " + date + " with " + rows + " rows");
      List<Row> history = DeltaTable.forPath(spark, pipeline.doubled().toString()).history()
          .select("version", "userMetadata").orderBy("version").collectAsList();
      assertEquals(i + 1, history.size(), "one commit per run");
      StepwiseCommit info = StepwiseCommit.parse(history.get(i).getString(1)).orElseThrow(
          () -> new AssertionError("no Stepwise metadata in " + history));
      assertEquals(new StepwiseCommit("tiny_delta", "per-step", "double", info.runId(), Optional.of(date),
          info.configFingerprint(), "doubled"), info);
      assertTrue(info.runId().startsWith(date.toString()), info.runId());
      assertTrue(info.configFingerprint().matches("[0-9a-f]{64}"), info.configFingerprint());
    }
    // Beside the table: nothing left (no staging, no lock); inside it: Delta's files only.
    try (Stream<Path> beside = Files.list(pipeline.doubled().getParent())) {
      assertEquals(List.of("doubled"), beside.map(p -> p.getFileName().toString()).toList());
    }
    assertFalse(Files.exists(pipeline.doubled().resolve("_STEPWISE")));

    // A reader of one run date sees that date's rows only; a table without run_date_column is replaced whole.
    for (LocalDate date : expected.keySet()) {
      pipeline.run(spark, "tally", date);
      List<Row> totals = spark.read().format("delta").load(pipeline.totals().toString()).collectAsList();
      assertEquals(1, totals.size(), "totals is replaced, not appended: " + totals);
      assertEquals((long) expected.get(date), totals.get(0).getLong(0), "tally of " + date);
    }
  }

  /** A failing expectation stops the task before its commit: the table keeps its version and rows. */
  @Test
  void aFailedExpectationCommitsNothing() throws Exception {
    DeltaPipeline pipeline = new DeltaPipeline(scratch.resolve("expectation"), "double_n",
        "expectations { few { row_count { max = 3 } } }");
    LocalDate date = LocalDate.parse("2026-11-21");
    pipeline.deliverEvents(date, 2);
    pipeline.run(spark, "double", date);
    long version = lastVersion(pipeline.doubled());
    pipeline.deliverEvents(date, 5);
    assertThrows(ExpectationFailedException.class, () -> pipeline.run(spark, "double", date));
    assertEquals(version, lastVersion(pipeline.doubled()));
    assertEquals(2, spark.read().format("delta").load(pipeline.doubled().toString()).count());
  }

  /**
   * The staging of a Delta dataset is read with the schema it was written with, when its commit is
   * checked against the table and when it is committed: Spark runs no job to infer it (such a job's
   * stage is named after its call site, the read in DatasetStore). Both a first commit and one to an
   * existing table.
   */
  @Test
  void publishingRunsNoJobToInferTheStagingsSchema() throws Exception {
    List<String> callSites = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    org.apache.spark.scheduler.SparkListener listener = new org.apache.spark.scheduler.SparkListener() {
      @Override
      public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart job) {
        scala.jdk.javaapi.CollectionConverters.asJava(job.stageInfos()).forEach(stage -> callSites.add(stage.name()));
      }
    };
    DeltaPipeline pipeline = new DeltaPipeline(scratch.resolve("no-inference"));
    LocalDate date = LocalDate.parse("2026-11-21");
    pipeline.deliverEvents(date, 3);
    spark.sparkContext().addSparkListener(listener);
    try {
      pipeline.run(spark, "double", date);
      pipeline.deliverEvents(date, 4);
      pipeline.run(spark, "double", date);
      spark.sparkContext().listenerBus().waitUntilEmpty();
    } finally {
      spark.sparkContext().removeSparkListener(listener);
    }
    assertFalse(callSites.isEmpty(), "the runs started Spark jobs");
    assertEquals(List.of(), callSites.stream().filter(site -> site.matches("parquet at DatasetStore.*")).toList(),
        "jobs that inferred a staging's schema, among " + callSites);
    assertEquals(4, spark.read().format("delta").load(pipeline.doubled().toString()).count());
  }

  private static long lastVersion(Path table) {
    return DeltaTable.forPath(spark, table.toString()).history(1).select("version").first().getLong(0);
  }

}
