package ${package};

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;

import dev.stepwise.core.step.Step;
import dev.stepwise.core.step.StepInputs;
import dev.stepwise.core.step.StepOutputs;
import dev.stepwise.core.step.StepParams;
import java.math.BigDecimal;
import java.util.Objects;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Splits temperature readings into those a thermometer can plausibly give and the rest, so that a
 * faulty sensor cannot move a daily summary while nothing is silently lost.
 *
 * <p>Input {@code readings}: at least a {@code temperature_c} column (a decimal, degrees Celsius).
 *
 * <p>Outputs, each with the input's columns: {@code plausible}, the readings between
 * {@code min_celsius} and {@code max_celsius} inclusive; {@code implausible}, every other reading,
 * those without a temperature included. Each reading lands in exactly one of them.
 */
public final class KeepPlausibleReadings implements Step {
  private final BigDecimal minCelsius;
  private final BigDecimal maxCelsius;

  public KeepPlausibleReadings(BigDecimal minCelsius, BigDecimal maxCelsius) {
    Objects.requireNonNull(minCelsius, "min_celsius");
    Objects.requireNonNull(maxCelsius, "max_celsius");
    if (minCelsius.compareTo(maxCelsius) > 0) {
      throw new IllegalArgumentException(
          "min_celsius (" + minCelsius + ") must not be above max_celsius (" + maxCelsius + ")");
    }
    this.minCelsius = minCelsius;
    this.maxCelsius = maxCelsius;
  }

  public static KeepPlausibleReadings from(StepParams params) {
    return new KeepPlausibleReadings(params.decimal("min_celsius"), params.decimal("max_celsius"));
  }

  @Override
  public StepOutputs apply(StepInputs inputs) {
    Dataset<Row> readings = inputs.get("readings");
    Column plausible = col("temperature_c").between(lit(minCelsius), lit(maxCelsius));
    // A missing temperature makes `plausible` null: such a reading is implausible, never dropped.
    return StepOutputs.of(
        "plausible", readings.where(coalesce(plausible, lit(false))),
        "implausible", readings.where(coalesce(not(plausible), lit(true))));
  }
}
