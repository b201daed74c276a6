package ${package};

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.to_date;

import dev.stepwise.core.step.Step;
import dev.stepwise.core.step.StepInputs;
import dev.stepwise.core.step.StepOutputs;
import dev.stepwise.core.step.StepParams;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One summary per station and day: how many readings, the lowest, the highest and the mean.
 *
 * <p>Input {@code readings}: {@code station} (string), {@code observed_at} (the station's local
 * time, TIMESTAMP_NTZ) and {@code temperature_c} (decimal).
 *
 * <p>Output {@code summaries}: {@code station}, {@code day} (date), {@code readings} (long),
 * {@code min_c} and {@code max_c} (as read), {@code mean_c} (DECIMAL(5,2), rounded half up). Days
 * with fewer than {@code min_readings} readings are left out: they say too little about the day.
 *
 * <p>The result does not depend on how Spark partitions the readings, so regrouping the pipeline
 * never changes it: the mean is a sum of decimals, which is exact in any order. A mean of doubles
 * rounded to two places would not be (floating-point sums depend on their order).
 */
public final class SummarizeDailyTemperatures implements Step {
  private final int minReadings;

  public SummarizeDailyTemperatures(int minReadings) {
    if (minReadings < 1) {
      throw new IllegalArgumentException("min_readings must be 1 or more, got " + minReadings);
    }
    this.minReadings = minReadings;
  }

  public static SummarizeDailyTemperatures from(StepParams params) {
    return new SummarizeDailyTemperatures(params.integer("min_readings", 1));
  }

  @Override
  public StepOutputs apply(StepInputs inputs) {
    Dataset<Row> summaries = inputs.get("readings")
        .groupBy(col("station"), to_date(col("observed_at")).as("day"))
        .agg(
            count("*").as("readings"),
            min("temperature_c").as("min_c"),
            max("temperature_c").as("max_c"),
            round(avg("temperature_c"), 2).cast("decimal(5,2)").as("mean_c"))
        .where(col("readings").geq(minReadings));
    return StepOutputs.of("summaries", summaries);
  }
}
