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
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

@SparkTest
class ComputeFeesTest {
  static final String PAYMENTS = "event_id STRING, kind STRING, market STRING, gross_usd DECIMAL(18,2)";
  static final FeeSchedule SCHEDULE =
      new FeeSchedule(new BigDecimal("0.03"), new BigDecimal("0.12"), Map.of("tokyo", new BigDecimal("0.05")));

  private static final String[] CASES = {
      "charge|CHARGE|paris|100.00",
      "tokyo_charge|CHARGE|Tokyo|100.00",
      "full_refund|REFUND|paris|100.00",
      "partial_refund|REFUND|paris|50.00",
      "half_cent|CHARGE|tokyo|0.50",
      "odd|CHARGE|unknown|33.33",
      "payout|PAYOUT|unknown|70.00"};

  private final SparkSession spark;

  ComputeFeesTest(SparkSession spark) {
    this.spark = spark;
  }

  private Dataset<Row> priced(String... payments) {
    return new ComputeFees(SCHEDULE).apply(StepInputs.of("payments", Frames.table(spark, PAYMENTS, payments)))
        .get("payments");
  }

  @Test
  void splitsChargesAndRefundsAndLeavesPayoutsAlone() {
    Dataset<Row> priced = priced(CASES);

    assertEquals(List.of("event_id:string", "kind:string", "market:string", "gross_usd:decimal(18,2)",
        "guest_fee_usd:decimal(18,2)", "host_fee_usd:decimal(18,2)", "host_share_usd:decimal(18,2)"),
        Frames.columns(priced));
    assertEquals(sorted(
        "charge|12.00|3.00|85.00",
        "tokyo_charge|12.00|5.00|83.00",
        "full_refund|12.00|3.00|85.00",
        "partial_refund|6.00|1.50|42.50",
        "half_cent|0.06|0.02|0.42",
        "odd|4.00|1.00|28.33",
        "payout|0.00|0.00|0.00"),
        rows(priced, "event_id", "guest_fee_usd", "host_fee_usd", "host_share_usd"));
  }

  @Test
  void agreesWithThePlainSplitToTheCent() {
    Dataset<Row> priced = priced(CASES);

    for (String line : CASES) {
      String[] cells = line.split("\\|");
      if (cells[1].equals("PAYOUT")) {
        continue;
      }
      FeeSchedule.Split split = SCHEDULE.split(new BigDecimal(cells[3]), cells[2]);
      assertEquals(List.of(split.guestFee() + "|" + split.hostFee() + "|" + split.hostShare()),
          rows(priced.where("event_id = '" + cells[0] + "'"), "guest_fee_usd", "host_fee_usd", "host_share_usd"), line);
    }
  }

  @Test
  void aRefundLargerThanItsChargeAndAPaymentWithoutMarketArePricedByTheSameRules() {
    Dataset<Row> priced = new ComputeFees(SCHEDULE).apply(StepInputs.of("payments", TestData.table(spark, PAYMENTS)
        .row("big_refund", "REFUND", "paris", "150.00")
        .row("no_market", "CHARGE", null, "100.00")
        .row("no_amount", "CHARGE", "paris", null)
        .build())).get("payments");

    // A null market takes the default host rate; a payment without an amount gets no fee figures.
    assertDatasetEquals(TestData.table(spark, "event_id STRING, guest_fee_usd DECIMAL(18,2), "
            + "host_fee_usd DECIMAL(18,2), host_share_usd DECIMAL(18,2)")
            .row("big_refund", "18.00", "4.50", "127.50")
            .row("no_market", "12.00", "3.00", "85.00")
            .row("no_amount", null, null, null)
            .build(),
        priced.select("event_id", "guest_fee_usd", "host_fee_usd", "host_share_usd"),
        DatasetComparison.DEFAULT.ignoringNullability());
  }

  @Test
  void emptyInputGivesNoPayments() {
    assertEquals(List.of(), rows(priced()));
  }
}
