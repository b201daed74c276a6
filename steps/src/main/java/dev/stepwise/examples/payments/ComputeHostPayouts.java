package dev.stepwise.examples.payments;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.stepwise.core.step.Step;
import dev.stepwise.core.step.StepInputs;
import dev.stepwise.core.step.StepOutputs;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Works out, per host, what the platform owes after this run's payments.
 *
 * <p>Input {@code payments}: from {@link ComputeFees}.
 *
 * <p>Output {@code payouts}: one row per {@code host_id} (string) with {@code charges, refunds,
 * payouts} (long), {@code earned_usd} (host shares of charges: the host_payable credits),
 * {@code refunded_usd} (host shares of refunds), {@code paid_out_usd} (payouts) and
 * {@code balance_owed_usd} = earned − refunded − paid out, all {@link Money#TOTAL_TYPE}. A negative
 * balance means the host was paid more than earned in the run (refunds after a payout, or a payout
 * for earlier runs).
 */
public final class ComputeHostPayouts implements Step {

  @Override
  public StepOutputs apply(StepInputs inputs) {
    Column charge = isKind(PaymentKind.CHARGE);
    Column refund = isKind(PaymentKind.REFUND);
    Column payout = isKind(PaymentKind.PAYOUT);
    Dataset<Row> payouts = inputs.get("payments")
        .groupBy("host_id")
        .agg(count(when(charge, lit(1))).as("charges"),
            count(when(refund, lit(1))).as("refunds"),
            count(when(payout, lit(1))).as("payouts"),
            Money.total(when(charge, col("host_share_usd"))).as("earned_usd"),
            Money.total(when(refund, col("host_share_usd"))).as("refunded_usd"),
            Money.total(when(payout, col("gross_usd"))).as("paid_out_usd"))
        .withColumn("balance_owed_usd", col("earned_usd").minus(col("refunded_usd"))
            .minus(col("paid_out_usd")).cast(Money.TOTAL_TYPE));
    return StepOutputs.of("payouts", payouts);
  }

  private static Column isKind(PaymentKind kind) {
    return col("kind").equalTo(kind.name());
  }
}
