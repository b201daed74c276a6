package dev.stepwise.entrypoint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.testing.SparkTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** `run --all` writes one report for all tasks; `advise` reads it back through the real command line. */
@SparkTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdviseCommandTest {
  private final SparkSession spark;
  private Path dir;
  private ExamplePipeline pipeline;
  private Path report;

  AdviseCommandTest(SparkSession spark) {
    this.spark = spark;
  }

  @BeforeAll
  void runTwoStageInOneProcess(@TempDir Path dir) {
    this.dir = dir;
    pipeline = new ExamplePipeline(Cli.withSession(spark), dir.resolve("data"));
    pipeline.generate(150);
    report = dir.resolve("reports/two-stage.json");
    Cli.Result result = pipeline.command("run", "--all", "--grouping", "two-stage", "--run-date",
        ExamplePipeline.RUN_DATE, "--metrics-out", report.toString());
    assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
  }

  @Test
  void oneReportCoversEveryTaskOfRunAll() throws IOException {
    JsonNode json = new ObjectMapper().readTree(report.toFile());
    assertEquals(List.of("prepare", "report"), List.of(json.at("/tasks_run/0").asText(), json.at("/tasks_run/1").asText()));
    assertTrue(json.toString().contains("\"name\":\"switch to task report\""), json.toString());
    double sum = 0;
    for (JsonNode phase : json.get("phases")) {
      sum += phase.get("seconds").asDouble();
    }
    assertEquals(json.get("wall_seconds").asDouble(), sum, 0.05 * json.get("wall_seconds").asDouble());
  }

  @Test
  void adviseWritesAGroupingThatValidatesAndATimelineWithEveryStep() throws IOException {
    Path grouping = dir.resolve("advised.conf");
    Path timeline = dir.resolve("timeline.html");
    Cli.Result advice = pipeline.command("advise", "--metrics", report.toString(), "--threshold", "0.10",
        "--out", grouping.toString(), "--timeline", timeline.toString());
    assertEquals(ExitCodes.OK, advice.exitCode(), advice.toString());
    assertEquals(advice.out(), Files.readString(grouping));
    assertTrue(advice.out().contains("# prepare ") && advice.out().contains("# report "), advice.out());
    Cli.Result validate = pipeline.command("validate", "--grouping", grouping.toString());
    assertEquals(ExitCodes.OK, validate.exitCode(), validate.toString() + "\n" + advice.out());
    String html = Files.readString(timeline);
    for (String step : pipeline.plan("single").pipeline().steps().keySet()) {
      assertTrue(html.contains("data-step=\"" + step + "\""), step);
    }
  }

  @Test
  void reportsOfDifferentRunsAreRefused() throws IOException {
    Path other = dir.resolve("reports/other.json");
    Files.writeString(other, Files.readString(report).replace("\"run_date\" : \"" + ExamplePipeline.RUN_DATE + "\"",
        "\"run_date\" : \"2026-11-22\""));
    Cli.Result result = pipeline.command("advise", "--metrics", report.toString(), other.toString());
    assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
    assertTrue(result.err().contains("not of one pipeline run"), result.toString());
  }
}
