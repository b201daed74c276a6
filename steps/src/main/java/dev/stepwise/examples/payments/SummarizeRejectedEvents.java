package dev.stepwise.examples.payments;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import dev.stepwise.core.step.Step;
import dev.stepwise.core.step.StepInputs;
import dev.stepwise.core.step.StepOutputs;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Counts what the pipeline set aside, so quarantined rows are seen rather than forgotten.
 *
 * <p>Inputs: {@code malformed} (from {@link ParsePaymentEvents}) and {@code unconvertible}
 * (from {@link NormalizeCurrencies}); only their {@code reason} column is read.
 *
 * <p>Output {@code summary}: one row per {@code source} ("malformed" or "unconvertible") and
 * {@code reason} (strings) with {@code events} (long). No rejection, no row.
 */
public final class SummarizeRejectedEvents implements Step {

  @Override
  public StepOutputs apply(StepInputs inputs) {
    Dataset<Row> rejected = inputs.get("malformed").select(lit("malformed").as("source"), col("reason"))
        .unionByName(inputs.get("unconvertible").select(lit("unconvertible").as("source"), col("reason")));
    Dataset<Row> summary = rejected.groupBy("source", "reason").agg(count(lit(1)).as("events"));
    return StepOutputs.of("summary", summary);
  }
}
