package dev.stepwise.examples.payments;

import static dev.stepwise.testing.DatasetAssertions.assertDatasetEquals;

import dev.stepwise.core.step.StepInputs;
import dev.stepwise.testing.SparkTest;
import dev.stepwise.testing.TestData;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

@SparkTest
class ComputeHostPayoutsTest {
  static final String PAYMENTS = "event_id STRING, kind STRING, host_id STRING, gross_usd DECIMAL(18,2), "
      + "host_share_usd DECIMAL(18,2)";
  // Counts and sums are never null (a sum of no rows is 0.00); the balance is nullable, as decimal arithmetic is.
  static final String PAYOUTS = "host_id STRING, charges BIGINT NOT NULL, refunds BIGINT NOT NULL, "
      + "payouts BIGINT NOT NULL, earned_usd DECIMAL(28,2) NOT NULL, refunded_usd DECIMAL(28,2) NOT NULL, "
      + "paid_out_usd DECIMAL(28,2) NOT NULL, balance_owed_usd DECIMAL(28,2)";

  private final SparkSession spark;

  ComputeHostPayoutsTest(SparkSession spark) {
    this.spark = spark;
  }

  private Dataset<Row> payouts(Object[]... payments) {
    TestData.TableBuilder table = TestData.table(spark, PAYMENTS);
    for (Object[] payment : payments) {
      table.row(payment);
    }
    return new ComputeHostPayouts().apply(StepInputs.of("payments", table.build())).get("payouts");
  }

  private static Object[] payment(Object... values) {
    return values;
  }

  @Test
  void owesEachHostTheirSharesLessRefundsAndPayouts() {
    Dataset<Row> payouts = payouts(
        payment("c1", "CHARGE", "h1", "100.00", "85.00"), payment("c2", "CHARGE", "h1", "200.00", "170.00"),
        payment("r1", "REFUND", "h1", "50.00", "42.50"), payment("p1", "PAYOUT", "h1", "100.00", "0.00"),
        payment("c3", "CHARGE", "h2", "10.00", "8.30"));

    assertDatasetEquals(TestData.table(spark, PAYOUTS)
            .row("h1", 2L, 1L, 1L, "255.00", "42.50", "100.00", "112.50")
            .row("h2", 1L, 0L, 0L, "8.30", "0.00", "0.00", "8.30")
            .build(),
        payouts);
  }

  @Test
  void aHostPaidOrRefundedBeyondEarningsOwesThePlatform() {
    Dataset<Row> payouts = payouts(
        payment("c1", "CHARGE", "h1", "10.00", "8.50"), payment("r1", "REFUND", "h1", "40.00", "34.00"),
        payment("p1", "PAYOUT", "h2", "25.00", "0.00"));

    assertDatasetEquals(TestData.table(spark, PAYOUTS)
            .row("h1", 1L, 1L, 0L, "8.50", "34.00", "0.00", "-25.50")
            .row("h2", 0L, 0L, 1L, "0.00", "0.00", "25.00", "-25.00")
            .build(),
        payouts);
  }

  @Test
  void aDuplicatedPaymentCountsTwiceBecauseDeduplicatingIsAnEarlierStepsJob() {
    Dataset<Row> payouts = payouts(
        payment("c1", "CHARGE", "h1", "10.00", "8.50"), payment("c1", "CHARGE", "h1", "10.00", "8.50"));

    assertDatasetEquals(TestData.table(spark, PAYOUTS).row("h1", 2L, 0L, 0L, "17.00", "0.00", "0.00", "17.00").build(),
        payouts);
  }

  @Test
  void noPaymentsNoHosts() {
    assertDatasetEquals(TestData.table(spark, PAYOUTS).build(), payouts());
  }
}
