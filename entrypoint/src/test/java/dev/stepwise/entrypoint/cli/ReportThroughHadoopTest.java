package dev.stepwise.entrypoint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.testing.SparkTest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The run report with a {@code file://} storage root, a run that fails together with its report, and
 * the JVM's start in the report: all through the real command line and a real SparkSession.
 */
@SparkTest
class ReportThroughHadoopTest {
  private final SparkSession spark;

  ReportThroughHadoopTest(SparkSession spark) {
    this.spark = spark;
  }

  @Test
  void aFileUriStorageRootHoldsItsReport(@TempDir Path dir) throws IOException {
    Path local = dir.resolve("data");
    String root = "file://" + local;
    Cli cli = Cli.withSession(spark);
    String config = ExamplePipeline.CONFIG.toString();
    Cli.Result generated = cli.run("generate", "--run-date", ExamplePipeline.RUN_DATE, "--events", "40",
        "--config", config, "--set", "pipeline.storage_root=" + root);
    assertEquals(ExitCodes.OK, generated.exitCode(), generated.toString());

    Cli.Result result = cli.run("run", "--task", "ingest", "--grouping", "daily", "--run-date",
        ExamplePipeline.RUN_DATE, "--config", config, "--set", "pipeline.storage_root=" + root);

    assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
    Path report = local.resolve("_reports/payments/daily/ingest/run_date=" + ExamplePipeline.RUN_DATE
        + "/report.json");
    assertTrue(Files.isRegularFile(report), "no report at " + report + "\n" + result);
    assertEquals("succeeded", new ObjectMapper().readTree(report.toFile()).get("status").asText());
    assertTrue(result.out().contains("run report: " + root + "/_reports/payments/daily/ingest/"), result.out());
    assertFalse(Files.exists(Path.of("file:")), "a folder named 'file:' in the working directory");
    try (Stream<Path> files = Files.list(report.getParent())) {
      assertEquals(List.of("report.json"), files.map(p -> p.getFileName().toString()).toList(),
          "no checksum or other file beside the report");
    }
  }

  @Test
  void theRunsOwnFailureIsPrintedBeforeTheReportFailure(@TempDir Path dir) throws IOException {
    ExamplePipeline pipeline = new ExamplePipeline(Cli.withSession(spark), dir.resolve("data"));
    pipeline.generate(30);
    // As on a read-only root, whatever the user running the test may write: a plain file where the
    // intermediates' folder should be (the lock cannot be taken) and where the reports' folder should be.
    Files.writeString(pipeline.root().resolve("work"), "not a folder");
    Files.writeString(pipeline.root().resolve("_reports"), "not a folder");

    Cli.Result result = pipeline.command("run", "--task", "ingest", "--grouping", "daily", "--run-date",
        ExamplePipeline.RUN_DATE);

    assertEquals(ExitCodes.RUN_FAILED, result.exitCode(), result.toString());
    List<String> lines = result.err().lines().toList();
    assertTrue(lines.get(0).startsWith("stepwise: run failed: cannot take the lock"), result.err());
    assertTrue(lines.get(0).contains("work/classified_payments"), result.err());
    assertTrue(lines.get(1).startsWith("stepwise: also: cannot write the run report to "), result.err());
    assertTrue(lines.get(1).contains("_reports"), result.err());
    assertFalse(result.out().contains("run report (failed run)"), result.out());
  }

  @Test
  void jvmStartIsInTheReportAndThePhasesStillAddUp(@TempDir Path dir) throws IOException {
    ExamplePipeline pipeline = new ExamplePipeline(Cli.withSession(spark), dir.resolve("data"));
    pipeline.generate(30);
    Path reportFile = dir.resolve("report.json");
    // As StepwiseMain does: this JVM (the test runner's) started before main was entered.
    SessionFactory shared = new SessionFactory() {
      @Override
      public SparkSession open(String appName, Map<String, String> settings) {
        switchTask(spark, settings);
        return spark;
      }

      @Override
      public void close(SparkSession session) {}
    };
    CommandLine cl = StepwiseCli.commandLine(shared, Launch.ofThisJvm(Instant.now()));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute("run", "--task", "ingest", "--grouping", "daily", "--run-date", ExamplePipeline.RUN_DATE,
        "--config", ExamplePipeline.CONFIG.toString(), "--set", "pipeline.storage_root=" + pipeline.root(),
        "--metrics-out", reportFile.toString());
    assertEquals(ExitCodes.OK, code, out + "\n" + err);

    JsonNode report = new ObjectMapper().readTree(reportFile.toFile());
    assertTrue(report.get("jvm_start_included").asBoolean(), report.toString());
    JsonNode first = report.get("phases").get(0);
    assertEquals("jvm start", first.get("name").asText());
    assertTrue(first.get("seconds").asDouble() > 0, first.toString());
    double sum = 0;
    for (JsonNode phase : report.get("phases")) {
      sum += phase.get("seconds").asDouble();
    }
    double wall = report.get("wall_seconds").asDouble();
    assertEquals(wall, sum, 0.05 * wall);
    Instant jvm = Instant.ofEpochMilli(java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime());
    assertFalse(Instant.parse(report.get("started_at").asText()).isAfter(jvm),
        "the report starts no later than the JVM: " + report.get("started_at"));
  }

  @Test
  void theProcessStartIsNoLaterThanTheJvmsOwnStartTime() {
    Instant jvm = Instant.ofEpochMilli(java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime());
    Instant process = Launch.ofThisJvm(Instant.now()).jvmStart().orElseThrow();
    assertFalse(process.isAfter(jvm), process + " after " + jvm);
    assertTrue(Launch.processStart().isPresent(), "this platform tells no process start");
  }
}
