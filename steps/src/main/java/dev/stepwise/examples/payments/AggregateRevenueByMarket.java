package dev.stepwise.examples.payments;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.negate;
import static org.apache.spark.sql.functions.when;

import dev.stepwise.core.step.Step;
import dev.stepwise.core.step.StepInputs;
import dev.stepwise.core.step.StepOutputs;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Sums the ledger by market: what guests paid, what was refunded, what the platform earned.
 *
 * <p>Input {@code entries}: from {@link PostLedgerEntries}.
 *
 * <p>Output {@code revenue}: one row per {@code market} (string) with {@code charges, refunds}
 * (long: one guest_cash line per sale), {@code gross_bookings_usd} (charged to guests),
 * {@code refunds_usd} (refunded), {@code net_bookings_usd} (the difference) and
 * {@code platform_revenue_usd} (platform_revenue credits − debits: fees earned net of fees
 * reversed), all {@link Money#TOTAL_TYPE}. Payout lines are left out: they settle host balances
 * and belong to no market.
 */
public final class AggregateRevenueByMarket implements Step {

  @Override
  public StepOutputs apply(StepInputs inputs) {
    Column amount = col("amount_usd");
    Column guestCash = col("account").equalTo(LedgerAccount.GUEST_CASH.id());
    Column charge = guestCash.and(col("kind").equalTo(PaymentKind.CHARGE.name()));
    Column refund = guestCash.and(col("kind").equalTo(PaymentKind.REFUND.name()));
    Column revenue = col("account").equalTo(LedgerAccount.PLATFORM_REVENUE.id());
    Column signedRevenue = when(col("side").equalTo(LedgerSide.CREDIT.name()), amount).otherwise(negate(amount));

    Dataset<Row> byMarket = inputs.get("entries")
        .where(col("kind").notEqual(PaymentKind.PAYOUT.name()))
        .groupBy("market")
        .agg(count(when(charge, lit(1))).as("charges"),
            count(when(refund, lit(1))).as("refunds"),
            Money.total(when(charge, amount)).as("gross_bookings_usd"),
            Money.total(when(refund, amount)).as("refunds_usd"),
            Money.total(when(revenue, signedRevenue)).as("platform_revenue_usd"))
        .withColumn("net_bookings_usd",
            col("gross_bookings_usd").minus(col("refunds_usd")).cast(Money.TOTAL_TYPE))
        .select("market", "charges", "refunds", "gross_bookings_usd", "refunds_usd", "net_bookings_usd",
            "platform_revenue_usd");
    return StepOutputs.of("revenue", byMarket);
  }
}
