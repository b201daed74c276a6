package dev.stepwise.examples.payments;

import static dev.stepwise.examples.payments.Frames.rows;
import static dev.stepwise.examples.payments.Frames.sorted;
import static dev.stepwise.testing.DatasetAssertions.assertDatasetEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stepwise.core.step.StepInputs;
import dev.stepwise.testing.DatasetComparison;
import dev.stepwise.testing.SparkTest;
import dev.stepwise.testing.TestData;
import java.math.BigDecimal;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

@SparkTest
class ReconcileBookingsTest {
  static final String PAYMENTS = "event_id STRING, kind STRING, booking_id STRING, currency STRING, gross_amount DECIMAL(18,2)";

  private final SparkSession spark;

  ReconcileBookingsTest(SparkSession spark) {
    this.spark = spark;
  }

  private Dataset<Row> reconcile(String[] payments, String... bookings) {
    return new ReconcileBookings().apply(StepInputs.of(
            "payments", Frames.table(spark, PAYMENTS, payments),
            "bookings", Frames.table(spark, EnrichWithBookingsTest.BOOKINGS, bookings)))
        .get("reconciliation");
  }

  @Test
  void givesEveryBookingAStatus() {
    Dataset<Row> reconciliation = reconcile(new String[] {
        "c1|CHARGE|matched|EUR|100.00",
        "c2|CHARGE|underpaid|EUR|90.00",
        "c3|CHARGE|overpaid|EUR|100.00", "c4|CHARGE|overpaid|EUR|10.00",
        "c5|CHARGE|refunded|EUR|100.00", "r5|REFUND|refunded|EUR|100.00",
        "c6|CHARGE|over_then_refunded|EUR|110.00", "r6|REFUND|over_then_refunded|EUR|10.00",
        "c7|CHARGE|foreign|USD|108.00",
        "r8|REFUND|refund_only|EUR|20.00",
        "c9|CHARGE|ghost|EUR|5.00",
        "p1|PAYOUT|null|EUR|70.00"},
        "matched|h1|paris|100.00|EUR|2026-12-01",
        "underpaid|h1|paris|100.00|EUR|2026-12-01",
        "overpaid|h1|paris|100.00|EUR|2026-12-01",
        "refunded|h1|paris|100.00|EUR|2026-12-01",
        "over_then_refunded|h1|paris|100.00|EUR|2026-12-01",
        "foreign|h1|paris|100.00|EUR|2026-12-01",
        "refund_only|h1|paris|100.00|EUR|2026-12-01",
        "uncharged|h2|tokyo|15000.00|JPY|2026-12-01");

    assertEquals(List.of("booking_id:string", "host_id:string", "market:string", "currency:string",
        "expected_total:decimal(18,2)", "charged:decimal(28,2)", "refunded:decimal(28,2)", "net_charged:decimal(28,2)",
        "difference:decimal(28,2)", "charges:bigint", "refunds:bigint", "foreign_currency_payments:bigint",
        "status:string"), Frames.columns(reconciliation));
    assertEquals(sorted(
        "matched|h1|paris|EUR|100.00|100.00|0.00|100.00|0.00|1|0|0|MATCHED",
        "underpaid|h1|paris|EUR|100.00|90.00|0.00|90.00|-10.00|1|0|0|UNDERPAID",
        "overpaid|h1|paris|EUR|100.00|110.00|0.00|110.00|10.00|2|0|0|OVERPAID",
        "refunded|h1|paris|EUR|100.00|100.00|100.00|0.00|-100.00|1|1|0|REFUNDED",
        "over_then_refunded|h1|paris|EUR|100.00|110.00|10.00|100.00|0.00|1|1|0|MATCHED",
        "foreign|h1|paris|EUR|100.00|0.00|0.00|0.00|-100.00|1|0|1|CURRENCY_MISMATCH",
        "refund_only|h1|paris|EUR|100.00|0.00|20.00|-20.00|-120.00|0|1|0|NOT_CHARGED",
        "uncharged|h2|tokyo|JPY|15000.00|0.00|0.00|0.00|-15000.00|0|0|0|NOT_CHARGED",
        "ghost|null|null|null|null|null|null|null|null|1|0|0|UNKNOWN_BOOKING"),
        rows(reconciliation));
  }

  @Test
  void aBookingRefundedMoreThanItWasChargedIsRefundedAndShowsTheNegativeNet() {
    Dataset<Row> reconciliation = reconcile(new String[] {
        "c1|CHARGE|b1|EUR|100.00", "r1|REFUND|b1|EUR|150.00",
        "c2|CHARGE|b2|EUR|80.00", "r2|REFUND|b2|EUR|100.00"},
        "b1|h1|paris|100.00|EUR|2026-12-01",
        "b2|h1|paris|100.00|EUR|2026-12-01");

    assertDatasetEquals(
        TestData.table(spark, "booking_id STRING, net_charged DECIMAL(28,2), difference DECIMAL(28,2), status STRING")
            .row("b1", "-50.00", "-150.00", "REFUNDED")
            .row("b2", "-20.00", "-120.00", "UNDERPAID")
            .build(),
        reconciliation.select("booking_id", "net_charged", "difference", "status"),
        DatasetComparison.DEFAULT.ignoringNullability());
    assertEquals(ReconciliationStatus.REFUNDED, ReconciliationStatus.of(true, 0, 1, new BigDecimal("100.00"),
        new BigDecimal("150.00"), new BigDecimal("100.00")));
  }

  @Test
  void theSparkRulesMatchThePlainOnes() {
    BigDecimal hundred = new BigDecimal("100.00");
    BigDecimal zero = BigDecimal.ZERO;
    assertEquals(ReconciliationStatus.UNKNOWN_BOOKING, ReconciliationStatus.of(false, 1, 1, hundred, zero, hundred));
    assertEquals(ReconciliationStatus.CURRENCY_MISMATCH, ReconciliationStatus.of(true, 1, 1, hundred, zero, hundred));
    assertEquals(ReconciliationStatus.NOT_CHARGED, ReconciliationStatus.of(true, 0, 0, zero, zero, hundred));
    assertEquals(ReconciliationStatus.MATCHED, ReconciliationStatus.of(true, 0, 1, hundred, zero, new BigDecimal("100")));
    assertEquals(ReconciliationStatus.REFUNDED, ReconciliationStatus.of(true, 0, 1, hundred, BigDecimal.TEN, hundred));
    assertEquals(ReconciliationStatus.UNDERPAID, ReconciliationStatus.of(true, 0, 1, new BigDecimal("99.99"), zero, hundred));
    assertEquals(ReconciliationStatus.OVERPAID, ReconciliationStatus.of(true, 0, 2, new BigDecimal("100.01"), zero, hundred));
  }

  @Test
  void noBookingsAndNoPaymentsNothingToReconcile() {
    assertEquals(List.of(), rows(reconcile(new String[0])));
  }
}
