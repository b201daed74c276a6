package ${package};

import static dev.stepwise.testing.DatasetAssertions.assertDatasetEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stepwise.core.step.StepInputs;
import dev.stepwise.testing.SparkTest;
import dev.stepwise.testing.TestData;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

@SparkTest
class SummarizeDailyTemperaturesTest {
  private static final String READINGS = "station STRING, observed_at TIMESTAMP_NTZ, temperature_c DECIMAL(4,1)";
  private static final String SUMMARIES = "station STRING, day DATE, readings BIGINT NOT NULL, min_c DECIMAL(4,1),"
      + " max_c DECIMAL(4,1), mean_c DECIMAL(5,2)";

  private final SparkSession spark;

  SummarizeDailyTemperaturesTest(SparkSession spark) {
    this.spark = spark;
  }

  private Dataset<Row> summarize(int minReadings, Dataset<Row> readings) {
    return new SummarizeDailyTemperatures(minReadings).apply(StepInputs.of("readings", readings)).get("summaries");
  }

  @Test
  void summarizesEachStationAndDayWithAMeanRoundedHalfUp() {
    Dataset<Row> readings = TestData.table(spark, READINGS)
        .row("lisbon", "2026-11-21 00:00:00", "11.2")
        .row("lisbon", "2026-11-21 12:00:00", "17.9")
        .row("lisbon", "2026-11-21 23:59:59", "10.4")
        .row("lisbon", "2026-11-22 00:00:00", "9.0")
        .row("oslo", "2026-11-21 06:00:00", "-4.0")
        .row("oslo", "2026-11-21 18:00:00", "-1.5")
        .build();

    Dataset<Row> expected = TestData.table(spark, SUMMARIES)
        // (11.2 + 17.9 + 10.4) / 3 = 13.1666...
        .row("lisbon", "2026-11-21", 3L, "10.4", "17.9", "13.17")
        .row("lisbon", "2026-11-22", 1L, "9.0", "9.0", "9.00")
        // -2.75 is rounded away from zero.
        .row("oslo", "2026-11-21", 2L, "-4.0", "-1.5", "-2.75")
        .build();
    assertDatasetEquals(expected, summarize(1, readings));
  }

  @Test
  void leavesOutDaysWithTooFewReadings() {
    Dataset<Row> readings = TestData.table(spark, READINGS)
        .row("oslo", "2026-11-21 06:00:00", "-4.0")
        .row("oslo", "2026-11-21 18:00:00", "-1.5")
        .row("oslo", "2026-11-21 20:00:00", "-2.0")
        .row("nairobi", "2026-11-21 12:00:00", "24.6")
        .row("nairobi", "2026-11-21 18:00:00", "19.1")
        .build();

    Dataset<Row> expected = TestData.table(spark, SUMMARIES)
        .row("oslo", "2026-11-21", 3L, "-4.0", "-1.5", "-2.50")
        .build();
    assertDatasetEquals(expected, summarize(3, readings));
  }

  @Test
  void refusesAMinimumBelowOne() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SummarizeDailyTemperatures(0));
    assertEquals("min_readings must be 1 or more, got 0", e.getMessage());
  }
}
