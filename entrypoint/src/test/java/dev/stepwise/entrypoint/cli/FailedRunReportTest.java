package dev.stepwise.entrypoint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.testing.SparkTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run that fails still reports where its time went, and says it failed. */
@SparkTest
class FailedRunReportTest {
  private final SparkSession spark;

  FailedRunReportTest(SparkSession spark) {
    this.spark = spark;
  }

  @Test
  void aTaskThatCannotWriteItsOutputLeavesAFailedReport(@TempDir Path dir) throws IOException {
    ExamplePipeline pipeline = new ExamplePipeline(Cli.withSession(spark), dir.resolve("data"));
    pipeline.generate(50);
    // A plain file where the intermediate datasets' folder should be: nothing can be written there, and
    // the run fails as it takes the lock beside classified_payments, before writing anything.
    Files.writeString(pipeline.root().resolve("work"), "not a folder");
    Path reportFile = dir.resolve("report.json");
    Cli.Result result = pipeline.command("run", "--task", "ingest", "--grouping", "daily", "--run-date",
        ExamplePipeline.RUN_DATE, "--metrics-out", reportFile.toString());
    assertEquals(ExitCodes.RUN_FAILED, result.exitCode(), result.toString());
    assertTrue(result.out().contains("run report (failed run): " + reportFile), result.toString());

    JsonNode report = new ObjectMapper().readTree(reportFile.toFile());
    assertEquals("failed", report.get("status").asText());
    assertTrue(report.get("error").asText().contains("work/classified_payments"), report.toString());
    List<String> phases = new ArrayList<>();
    double sum = 0;
    for (JsonNode phase : report.get("phases")) {
      phases.add(phase.get("name").asText());
      sum += phase.get("seconds").asDouble();
    }
    assertEquals(List.of("config and plan", "pre-flight checks", "spark session start", "failed task ingest",
        "spark session stop"), phases);
    // Each figure is rounded to the millisecond, and this run fails within tens of them: allow the rounding.
    assertEquals(report.get("wall_seconds").asDouble(), sum,
        0.05 * report.get("wall_seconds").asDouble() + 0.0005 * (phases.size() + 1));
    assertEquals(0, report.get("tasks").size());

    Cli.Result advice = pipeline.command("advise", "--metrics", reportFile.toString());
    assertEquals(ExitCodes.USAGE, advice.exitCode(), advice.toString());
    assertTrue(advice.err().contains("is the report of a failed run"), advice.toString());
  }
}
