package ${package};

import static dev.stepwise.testing.DatasetAssertions.assertDatasetEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stepwise.core.step.StepInputs;
import dev.stepwise.core.step.StepOutputs;
import dev.stepwise.testing.SparkTest;
import dev.stepwise.testing.TestData;
import java.math.BigDecimal;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

@SparkTest
class KeepPlausibleReadingsTest {
  private static final String READINGS = "station STRING, temperature_c DECIMAL(4,1)";
  private static final BigDecimal MIN = new BigDecimal("-90.0");
  private static final BigDecimal MAX = new BigDecimal("60.0");

  private final SparkSession spark;

  KeepPlausibleReadingsTest(SparkSession spark) {
    this.spark = spark;
  }

  private StepOutputs split(Dataset<Row> readings) {
    return new KeepPlausibleReadings(MIN, MAX).apply(StepInputs.of("readings", readings));
  }

  @Test
  void keepsTheBoundsAndSetsAsideTheRestWithMissingTemperatures() {
    Dataset<Row> readings = TestData.table(spark, READINGS)
        .row("a", "-90.0").row("b", "60.0").row("c", "60.1").row("d", "-90.1").row("e", null).row("f", "12.5")
        .build();

    StepOutputs outputs = split(readings);

    assertDatasetEquals(TestData.table(spark, READINGS).row("a", "-90.0").row("b", "60.0").row("f", "12.5").build(),
        outputs.get("plausible"));
    assertDatasetEquals(TestData.table(spark, READINGS).row("c", "60.1").row("d", "-90.1").row("e", null).build(),
        outputs.get("implausible"));
  }

  @Test
  void everyReadingLandsInExactlyOneOutput() {
    // Every tenth of a degree from -99.9 to 99.9, and a missing one.
    TestData.TableBuilder table = TestData.table(spark, READINGS).row("none", null);
    for (int tenths = -999; tenths <= 999; tenths++) {
      table.row("t" + tenths, BigDecimal.valueOf(tenths, 1));
    }
    Dataset<Row> readings = table.build();

    StepOutputs outputs = split(readings);

    Dataset<Row> plausible = outputs.get("plausible");
    Dataset<Row> implausible = outputs.get("implausible");
    assertDatasetEquals(readings, plausible.union(implausible));
    assertEquals(1501, plausible.count(), "-90.0 to 60.0 inclusive, by tenths");
    assertEquals(0, plausible.where("temperature_c < -90.0 OR temperature_c > 60.0").count());
  }

  @Test
  void refusesBoundsTheWrongWayRound() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new KeepPlausibleReadings(MAX, MIN));
    assertEquals("min_celsius (60.0) must not be above max_celsius (-90.0)", e.getMessage());
  }
}
