package dev.stepwise.examples.payments;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.stepwise.core.step.Step;
import dev.stepwise.core.step.StepInputs;
import dev.stepwise.core.step.StepOutputs;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Decides what each payment does to money: the rules of {@link PaymentKind#of}.
 *
 * <p>Input {@code payments}: from {@link EnrichWithBookings} (needs {@code event_type, amount,
 * amount_usd}).
 *
 * <p>Output {@code payments}: the input columns plus {@code kind} (CHARGE, REFUND or PAYOUT),
 * {@code gross_amount} and {@code gross_usd} (the magnitudes of amount and amount_usd,
 * {@link Money#TYPE}) and {@code sign_corrected} (boolean: the event carried a negative amount).
 * Later steps use only the magnitudes; the direction is the kind's.
 */
public final class ClassifyPayments implements Step {

  @Override
  public StepOutputs apply(StepInputs inputs) {
    Column eventType = col("event_type");
    Column negative = col("amount").lt(0);
    Column kind = when(eventType.equalTo("payout"), lit(PaymentKind.PAYOUT.name()))
        .when(eventType.equalTo("refund").or(negative), lit(PaymentKind.REFUND.name()))
        .otherwise(lit(PaymentKind.CHARGE.name()));
    Dataset<Row> classified = inputs.get("payments")
        .withColumn("kind", kind)
        .withColumn("gross_amount", abs(col("amount")).cast(Money.TYPE))
        .withColumn("gross_usd", abs(col("amount_usd")).cast(Money.TYPE))
        .withColumn("sign_corrected", negative);
    return StepOutputs.of("payments", classified);
  }
}
