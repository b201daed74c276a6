package ${package};

import static dev.stepwise.testing.DatasetAssertions.assertDatasetEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stepwise.testing.PipelineHarness;
import dev.stepwise.testing.PipelineRun;
import dev.stepwise.testing.SparkTest;
import dev.stepwise.testing.TestData;
import dev.stepwise.testing.TestDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The whole pipeline on the sample data in data/raw/, through the real config loader, planner and
 * task runner: the config is valid, the steps are found through the StepLibrary registration, and
 * both groupings give the same outputs.
 */
@SparkTest
class PipelineTest {
  private static final Path CONFIG = Path.of("conf/pipeline.conf");
  private static final LocalDate SAMPLE_DAY = LocalDate.of(2026, 11, 21);
  private static final Path SAMPLE_READINGS = Path.of("data/raw/readings/run_date=2026-11-21/readings.csv");

  private final SparkSession spark;
  private final Path dir;

  PipelineTest(SparkSession spark, @TestDir Path dir) {
    this.spark = spark;
    this.dir = dir;
  }

  private PipelineRun runOnTheSample(String grouping) throws IOException {
    PipelineHarness harness = PipelineHarness.builder(spark, CONFIG)
        .storageRoot(dir.resolve(grouping))
        .runDate(SAMPLE_DAY)
        .build();
    Path readings = Files.createDirectories(harness.directory("readings"));
    Files.copy(SAMPLE_READINGS, readings.resolve("readings.csv"));
    return harness.run(grouping);
  }

  @Test
  void bothGroupingsSummarizeTheSampleAlike() throws IOException {
    PipelineRun single = runOnTheSample("single");
    PipelineRun twoTask = runOnTheSample("two-task");

    assertEquals(List.of("clean", "summarize"), twoTask.plan().taskNames());
    assertDatasetEquals(TestData.table(spark, "station STRING, day DATE, readings BIGINT, min_c DECIMAL(4,1),"
            + " max_c DECIMAL(4,1), mean_c DECIMAL(5,2)")
            .row("oslo", "2026-11-21", 4L, "-4.0", "1.5", "-1.75")
            .row("lisbon", "2026-11-21", 3L, "10.4", "17.9", "13.17")
            .build(),
        single.output("daily_temperatures"));
    assertEquals(2, single.output("implausible_readings").count(), "999.9 in Lisbon and -99.9 in Nairobi");
    for (String dataset : List.of("daily_temperatures", "implausible_readings")) {
      assertDatasetEquals(single.output(dataset), twoTask.output(dataset));
    }
  }
}
