package dev.stepwise.entrypoint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.entrypoint.advise.TaskCost;
import dev.stepwise.entrypoint.report.ReportedRun;
import dev.stepwise.entrypoint.report.RunReport;
import dev.stepwise.testing.SparkTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The run report of a real run of the `ingest` task of `daily`, and the tags on its Spark jobs. */
@SparkTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunReportTest {
  private final SparkSession spark;
  private final ConcurrentLinkedQueue<String> jobTags = new ConcurrentLinkedQueue<>();
  private final SparkListener tagRecorder = new SparkListener() {
    @Override
    public void onJobStart(SparkListenerJobStart job) {
      jobTags.add(job.properties().getProperty("stepwise.task") + "/" + job.properties().getProperty("stepwise.step")
          + " group=" + job.properties().getProperty("spark.jobGroup.id"));
    }
  };
  private Path root;
  private Cli.Result result;
  private JsonNode report;

  RunReportTest(SparkSession spark) {
    this.spark = spark;
  }

  @BeforeAll
  void runIngest(@TempDir Path dir) throws IOException {
    ExamplePipeline pipeline = new ExamplePipeline(Cli.withSession(spark), dir.resolve("data"));
    root = pipeline.root();
    pipeline.generate(200);
    spark.sparkContext().addSparkListener(tagRecorder);
    result = pipeline.command("run", "--task", "ingest", "--grouping", "daily", "--run-date", ExamplePipeline.RUN_DATE);
    assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
    // Job-start events reach listeners asynchronously; a later job's start means earlier ones were seen.
    spark.range(1).count();
    report = new ObjectMapper().readTree(root.resolve("_reports/payments/daily/ingest/run_date="
        + ExamplePipeline.RUN_DATE + "/report.json").toFile());
  }

  @AfterAll
  void removeListener() {
    spark.sparkContext().removeSparkListener(tagRecorder);
  }

  @Test
  void theReportGoesUnderTheStorageRootByDefaultAndSaysWhatRan() {
    assertTrue(result.out().contains("run report: " + root.resolve("_reports/payments/daily/ingest")), result.out());
    assertEquals(RunReport.SCHEMA_VERSION, report.get("schema_version").asInt());
    assertEquals("payments", report.get("pipeline").asText());
    assertEquals("daily", report.get("grouping").asText());
    assertEquals(ExamplePipeline.RUN_DATE, report.get("run_date").asText());
    assertEquals(spark.sparkContext().applicationId(), report.at("/spark/application_id").asText());
    assertEquals(spark.version(), report.at("/spark/version").asText());
    assertTrue(report.at("/spark/settings").has("spark.master"), report.at("/spark/settings").toString());
    assertEquals("32", report.at("/tasks/0/task_spark_settings/spark.sql.shuffle.partitions").asText());
  }

  @Test
  void phasesFollowEachOtherAndAddUpToTheWallTime() {
    double sum = 0;
    double expectedStart = 0;
    for (JsonNode phase : report.get("phases")) {
      assertEquals(expectedStart, phase.get("start_seconds").asDouble(), 0.002, phase.toString());
      expectedStart = phase.get("start_seconds").asDouble() + phase.get("seconds").asDouble();
      sum += phase.get("seconds").asDouble();
    }
    double wall = report.get("wall_seconds").asDouble();
    assertEquals(wall, sum, 0.05 * wall);
    double measured = (Instant.parse(report.get("finished_at").asText()).toEpochMilli()
        - Instant.parse(report.get("started_at").asText()).toEpochMilli()) / 1000.0;
    assertEquals(measured, wall, 0.05 * measured);
    assertEquals(wall, report.get("compute_seconds").asDouble() + report.get("overhead_seconds").asDouble(), 0.01);
    assertFalse(report.get("jvm_start_included").asBoolean(), "a test runs inside a JVM it did not start");
  }

  @Test
  void everyOverheadPhaseAndEveryStepAndWriteIsThere() {
    List<String> names = new ArrayList<>();
    report.get("phases").forEach(p -> names.add(p.get("kind").asText() + ":" + p.get("name").asText()));
    assertEquals(List.of("overhead:config and plan", "overhead:pre-flight checks", "overhead:spark session start",
        "overhead:read inputs",
        "compute:step parse_events", "compute:write malformed_payment_events",
        "compute:step deduplicate",
        "compute:step normalize_currencies", "compute:write unconvertible_payments",
        "compute:step enrich_with_bookings",
        "compute:step classify", "compute:write classified_payments",
        "overhead:publish", "overhead:spark session stop"), names);
  }

  @Test
  void rowsWrittenAreCountedPerDatasetAndAgreeWithTheData() {
    for (JsonNode written : report.at("/tasks/0/written")) {
      long onDisk = spark.read().parquet(written.get("location").asText()).count();
      assertEquals(onDisk, written.get("rows").asLong(), written.toString());
    }
    assertEquals(3, report.at("/tasks/0/written").size());
    assertEquals(List.of("cross_task"), List.of(report.at("/tasks/0/written/2/reasons/0").asText()));
  }

  @Test
  void progressEndsWithAStepTableAndTheOverheadBreakdown() {
    String out = result.out();
    assertTrue(out.matches("(?s).*\n  step +time +rows written  datasets written\n  parse_events +\\d+\\.\\d s +\\d+"
        + "  malformed_payment_events\n.*"), out);
    assertTrue(out.contains("  deduplicate") && out.contains("(in memory)"), out);
    assertTrue(out.matches("(?s).*\nwall time \\d+\\.\\d s: compute \\d+\\.\\d s, overhead \\d+\\.\\d s \\(\\d+%\\)\n.*"), out);
    assertTrue(out.contains("  overhead spark session start"), out);
  }

  @Test
  void theJvmWarmUpOfTheProcessAndOfEachTaskIsReportedAndConsistent() {
    JsonNode process = report.get("warmup");
    JsonNode task = report.at("/tasks/0/warmup");
    for (JsonNode w : List.of(process, task)) {
      for (String field : List.of("seconds", "jit_compile_seconds", "spark_codegen_seconds", "spark_codegen_classes",
          "gc_seconds", "gc_collections", "classes_loaded", "classes_unloaded")) {
        assertTrue(w.has(field) && w.get(field).isNumber() && w.get(field).asDouble() >= 0, field + " in " + w);
      }
      assertTrue(w.get("class_loading_seconds").isNull(), "class-loading time is not measured: " + w);
      // Linux shows the compiler threads' CPU time; the count of overhead uses it over the JVM's figure.
      assertEquals(Files.isDirectory(Path.of("/proc/self/task")), w.get("jit_cpu_seconds").isNumber(), w.toString());
      double jit = w.get("jit_cpu_seconds").isNumber() ? w.get("jit_cpu_seconds").asDouble()
          : w.get("jit_compile_seconds").asDouble();
      assertTrue(jit >= 0, w.toString());
      assertEquals(jit + w.get("spark_codegen_seconds").asDouble(), w.get("seconds").asDouble(), 0.002, w.toString());
    }
    // The task ran inside the process: it cannot have warmed up more than the process did.
    for (String field : List.of("jit_compile_seconds", "jit_cpu_seconds", "spark_codegen_classes", "gc_collections",
        "classes_loaded")) {
      assertTrue(task.get(field).asDouble() <= process.get(field).asDouble(), field + ": " + task + " vs " + process);
    }
    for (JsonNode r : List.of(report, report.at("/tasks/0"))) {
      double share = r.get("overhead_share_with_warmup").asDouble();
      assertTrue(share >= r.get("overhead_share").asDouble() && share <= 1.0, r.toString());
    }
    assertTrue(result.out().contains("jvm warm-up (process): JIT "), result.out());
    assertTrue(result.out().contains("  warm-up in task ingest "), result.out());
  }

  @Test
  void adviseCountsTheTaskWarmUpAsOverheadWithoutChangingTheTaskTotal() {
    Path file = root.resolve("_reports/payments/daily/ingest/run_date=" + ExamplePipeline.RUN_DATE + "/report.json");
    ReportedRun run = ReportedRun.read(file);
    RunReport.ReportTask task = run.report().tasks().get(0);
    TaskCost cost = TaskCost.of(run, task);
    double warmup = Math.min(report.at("/tasks/0/warmup/seconds").asDouble(), task.computeSeconds());
    assertEquals(task.computeSeconds() - warmup, cost.computeSeconds(), 1e-9);
    assertEquals(run.report().wallSeconds(), cost.runSeconds(), 0.01 + 0.05 * run.report().wallSeconds());
    assertEquals(warmup > 0, cost.overheadByPhase().containsKey(TaskCost.WARMUP_PHASE), cost.toString());
  }

  @Test
  void sparkJobsAreTaggedWithTheirTaskAndStep() {
    Set<String> tags = Set.copyOf(jobTags);
    for (String step : List.of("parse_events", "normalize_currencies", "classify")) {
      assertTrue(tags.contains("ingest/" + step + " group=ingest/" + step), step + " in " + tags);
    }
  }
}
