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
class AggregateRevenueByMarketTest {
  static final String ENTRIES = "event_id STRING, kind STRING, account STRING, side STRING, amount_usd DECIMAL(18,2), market STRING";

  private final SparkSession spark;

  AggregateRevenueByMarketTest(SparkSession spark) {
    this.spark = spark;
  }

  private Dataset<Row> revenue(String... entries) {
    return new AggregateRevenueByMarket().apply(StepInputs.of("entries", Frames.table(spark, ENTRIES, entries)))
        .get("revenue");
  }

  @Test
  void sumsSalesRefundsAndFeesPerMarket() {
    Dataset<Row> revenue = revenue(
        "c1|CHARGE|guest_cash|DEBIT|100.00|paris", "c1|CHARGE|host_payable|CREDIT|85.00|paris",
        "c1|CHARGE|platform_revenue|CREDIT|15.00|paris",
        "c2|CHARGE|guest_cash|DEBIT|200.00|paris", "c2|CHARGE|host_payable|CREDIT|170.00|paris",
        "c2|CHARGE|platform_revenue|CREDIT|30.00|paris",
        "r1|REFUND|guest_cash|CREDIT|50.00|paris", "r1|REFUND|host_payable|DEBIT|42.50|paris",
        "r1|REFUND|platform_revenue|DEBIT|7.50|paris",
        "c3|CHARGE|guest_cash|DEBIT|10.00|tokyo", "c3|CHARGE|host_payable|CREDIT|8.30|tokyo",
        "c3|CHARGE|platform_revenue|CREDIT|1.70|tokyo",
        "p1|PAYOUT|host_payable|DEBIT|70.00|unknown", "p1|PAYOUT|payout_clearing|CREDIT|70.00|unknown");

    assertEquals(List.of("market:string", "charges:bigint", "refunds:bigint", "gross_bookings_usd:decimal(28,2)",
        "refunds_usd:decimal(28,2)", "net_bookings_usd:decimal(28,2)", "platform_revenue_usd:decimal(28,2)"),
        Frames.columns(revenue));
    assertEquals(sorted(
        "paris|2|1|300.00|50.00|250.00|37.50",
        "tokyo|1|0|10.00|0.00|10.00|1.70"),
        rows(revenue));
  }

  @Test
  void aRefundLargerThanTheChargesGivesNegativeNetFigures() {
    Dataset<Row> revenue = revenue(
        "c1|CHARGE|guest_cash|DEBIT|10.00|lisbon", "c1|CHARGE|host_payable|CREDIT|8.50|lisbon",
        "c1|CHARGE|platform_revenue|CREDIT|1.50|lisbon",
        "r1|REFUND|guest_cash|CREDIT|40.00|lisbon", "r1|REFUND|host_payable|DEBIT|34.00|lisbon",
        "r1|REFUND|platform_revenue|DEBIT|6.00|lisbon");

    assertEquals(List.of("lisbon|1|1|10.00|40.00|-30.00|-4.50"), rows(revenue));
  }

  @Test
  void emptyLedgerGivesNoMarkets() {
    assertEquals(List.of(), rows(revenue()));
  }
}
