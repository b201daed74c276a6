package dev.stepwise.examples.payments;

import static dev.stepwise.examples.payments.Frames.rows;
import static dev.stepwise.examples.payments.Frames.sorted;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stepwise.core.step.StepInputs;
import dev.stepwise.testing.SparkTest;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

@SparkTest
class ComputeHostPayoutsTest {
  static final String PAYMENTS = "event_id STRING, kind STRING, host_id STRING, gross_usd DECIMAL(18,2), "
      + "host_share_usd DECIMAL(18,2)";

  private final SparkSession spark;

  ComputeHostPayoutsTest(SparkSession spark) {
    this.spark = spark;
  }

  private Dataset<Row> payouts(String... payments) {
    return new ComputeHostPayouts().apply(StepInputs.of("payments", Frames.table(spark, PAYMENTS, payments)))
        .get("payouts");
  }

  @Test
  void owesEachHostTheirSharesLessRefundsAndPayouts() {
    Dataset<Row> payouts = payouts(
        "c1|CHARGE|h1|100.00|85.00", "c2|CHARGE|h1|200.00|170.00", "r1|REFUND|h1|50.00|42.50",
        "p1|PAYOUT|h1|100.00|0.00",
        "c3|CHARGE|h2|10.00|8.30");

    assertEquals(List.of("host_id:string", "charges:bigint", "refunds:bigint", "payouts:bigint",
        "earned_usd:decimal(28,2)", "refunded_usd:decimal(28,2)", "paid_out_usd:decimal(28,2)",
        "balance_owed_usd:decimal(28,2)"), Frames.columns(payouts));
    assertEquals(sorted(
        "h1|2|1|1|255.00|42.50|100.00|112.50",
        "h2|1|0|0|8.30|0.00|0.00|8.30"),
        rows(payouts));
  }

  @Test
  void aHostPaidOrRefundedBeyondEarningsOwesThePlatform() {
    Dataset<Row> payouts = payouts(
        "c1|CHARGE|h1|10.00|8.50", "r1|REFUND|h1|40.00|34.00",
        "p1|PAYOUT|h2|25.00|0.00");

    assertEquals(sorted("h1|1|1|0|8.50|34.00|0.00|-25.50", "h2|0|0|1|0.00|0.00|25.00|-25.00"), rows(payouts));
  }

  @Test
  void noPaymentsNoHosts() {
    assertEquals(List.of(), rows(payouts()));
  }
}
