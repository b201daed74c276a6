package dev.stepwise.examples.payments;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;

import dev.stepwise.core.step.Step;
import dev.stepwise.core.step.StepInputs;
import dev.stepwise.core.step.StepOutputs;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Compares every booking with what its guest was actually charged, in the booking's own currency
 * (no exchange rate needed, so a rate change never creates a false mismatch).
 *
 * <p>Inputs: {@code payments} (from {@link ComputeFees}; only charges and refunds count) and
 * {@code bookings} ({@code booking_id, host_id, market, guest_total, currency, ...}).
 *
 * <p>Output {@code reconciliation}: one row per booking, and one per unknown booking_id that
 * payments name: {@code booking_id, host_id, market, currency} (string; null for an unknown
 * booking), {@code expected_total} ({@link Money#TYPE}, the booking's guest_total),
 * {@code charged, refunded, net_charged, difference} (net − expected) ({@link Money#TOTAL_TYPE},
 * over payments in the booking's currency; null for an unknown booking), {@code charges, refunds,
 * foreign_currency_payments} (long) and {@code status}: a {@link ReconciliationStatus}.
 */
public final class ReconcileBookings implements Step {

  @Override
  public StepOutputs apply(StepInputs inputs) {
    Dataset<Row> bookings = Bookings.unique(inputs.get("bookings"))
        .select(col("booking_id"), col("host_id"), col("market"), col("currency"),
            col("guest_total").as("expected_total"), lit(true).as("booking_known"));
    Dataset<Row> sales = inputs.get("payments")
        .where(col("kind").isin(PaymentKind.CHARGE.name(), PaymentKind.REFUND.name())
            .and(col("booking_id").isNotNull()))
        .select(col("booking_id"), col("kind"), col("currency").as("payment_currency"), col("gross_amount"));

    Column known = col("booking_known").equalTo(true);
    Column sameCurrency = col("payment_currency").equalTo(col("currency"));
    Column charge = col("kind").equalTo(PaymentKind.CHARGE.name());
    Column refund = col("kind").equalTo(PaymentKind.REFUND.name());

    Dataset<Row> perBooking = bookings.join(sales, bookings.col("booking_id").equalTo(sales.col("booking_id")), "full_outer")
        .select(coalesce(bookings.col("booking_id"), sales.col("booking_id")).as("booking_id"),
            col("host_id"), col("market"), col("currency"), col("expected_total"),
            coalesce(col("booking_known"), lit(false)).as("booking_known"),
            col("kind"), col("payment_currency"), col("gross_amount"))
        .groupBy("booking_id", "host_id", "market", "currency", "expected_total", "booking_known")
        .agg(Money.total(when(charge.and(sameCurrency), col("gross_amount"))).as("charged"),
            Money.total(when(refund.and(sameCurrency), col("gross_amount"))).as("refunded"),
            count(when(charge, lit(1))).as("charges"),
            count(when(refund, lit(1))).as("refunds"),
            count(when(col("payment_currency").notEqual(col("currency")), lit(1))).as("foreign_currency_payments"))
        .withColumn("net_charged", col("charged").minus(col("refunded")).cast(Money.TOTAL_TYPE))
        .withColumn("difference", col("net_charged").minus(col("expected_total")).cast(Money.TOTAL_TYPE));

    Dataset<Row> reconciliation = perBooking.select(
        col("booking_id"), col("host_id"), col("market"), col("currency"), col("expected_total"),
        onlyIfKnown("charged", known), onlyIfKnown("refunded", known), onlyIfKnown("net_charged", known),
        onlyIfKnown("difference", known),
        col("charges"), col("refunds"), col("foreign_currency_payments"), status(known).as("status"));
    return StepOutputs.of("reconciliation", reconciliation);
  }

  // The same order of checks as ReconciliationStatus.of.
  private static Column status(Column known) {
    Column expected = col("expected_total");
    return when(not(known), lit(ReconciliationStatus.UNKNOWN_BOOKING.name()))
        .when(col("foreign_currency_payments").gt(0), lit(ReconciliationStatus.CURRENCY_MISMATCH.name()))
        .when(col("charges").equalTo(0), lit(ReconciliationStatus.NOT_CHARGED.name()))
        .when(col("net_charged").equalTo(expected), lit(ReconciliationStatus.MATCHED.name()))
        .when(col("charged").equalTo(expected).and(col("refunded").gt(0)), lit(ReconciliationStatus.REFUNDED.name()))
        .when(col("net_charged").lt(expected), lit(ReconciliationStatus.UNDERPAID.name()))
        .otherwise(lit(ReconciliationStatus.OVERPAID.name()));
  }

  private static Column onlyIfKnown(String amount, Column known) {
    return when(known, col(amount)).as(amount);
  }
}
