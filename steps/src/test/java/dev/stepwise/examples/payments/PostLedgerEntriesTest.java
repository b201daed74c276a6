package dev.stepwise.examples.payments;

import static dev.stepwise.examples.payments.Frames.rows;
import static dev.stepwise.examples.payments.Frames.sorted;
import static org.apache.spark.sql.functions.expr;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stepwise.core.step.StepInputs;
import dev.stepwise.testing.SparkTest;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

@SparkTest
class PostLedgerEntriesTest {
  static final String PAYMENTS = "event_id STRING, kind STRING, booking_id STRING, host_id STRING, market STRING, "
      + "occurred_at TIMESTAMP, gross_usd DECIMAL(18,2), guest_fee_usd DECIMAL(18,2), host_fee_usd DECIMAL(18,2), "
      + "host_share_usd DECIMAL(18,2)";

  private final SparkSession spark;

  PostLedgerEntriesTest(SparkSession spark) {
    this.spark = spark;
  }

  private Dataset<Row> post(String... payments) {
    return new PostLedgerEntries().apply(StepInputs.of("payments", Frames.table(spark, PAYMENTS, payments)))
        .get("entries");
  }

  @Test
  void postsBalancedLinesForEveryKind() {
    Dataset<Row> entries = post(
        "c1|CHARGE|b1|h1|paris|2026-11-21T10:00:00Z|100.00|12.00|3.00|85.00",
        "r1|REFUND|b1|h1|paris|2026-11-21T11:00:00Z|50.00|6.00|1.50|42.50",
        "p1|PAYOUT|null|h1|unknown|2026-11-21T12:00:00Z|70.00|0.00|0.00|0.00");

    assertEquals(List.of("event_id:string", "kind:string", "account:string", "side:string", "amount_usd:decimal(18,2)",
        "market:string", "host_id:string", "booking_id:string", "entry_date:date"), Frames.columns(entries));
    assertEquals(sorted(
        "c1|CHARGE|guest_cash|DEBIT|100.00|paris|h1|b1|2026-11-21",
        "c1|CHARGE|host_payable|CREDIT|85.00|paris|h1|b1|2026-11-21",
        "c1|CHARGE|platform_revenue|CREDIT|15.00|paris|h1|b1|2026-11-21",
        "r1|REFUND|guest_cash|CREDIT|50.00|paris|h1|b1|2026-11-21",
        "r1|REFUND|host_payable|DEBIT|42.50|paris|h1|b1|2026-11-21",
        "r1|REFUND|platform_revenue|DEBIT|7.50|paris|h1|b1|2026-11-21",
        "p1|PAYOUT|host_payable|DEBIT|70.00|unknown|h1|null|2026-11-21",
        "p1|PAYOUT|payout_clearing|CREDIT|70.00|unknown|h1|null|2026-11-21"),
        rows(entries));
    assertEquals(sorted("c1|100.00|100.00", "r1|50.00|50.00", "p1|70.00|70.00"), rows(entries.groupBy("event_id")
        .agg(expr("sum(if(side = 'DEBIT', amount_usd, 0))"),
            expr("sum(if(side = 'CREDIT', amount_usd, 0))"))));
  }

  @Test
  void booksOnTheUtcDayTheEventOccurredWhateverTheSessionTimeZone() {
    String key = "spark.sql.session.timeZone";
    String before = spark.conf().get(key);
    spark.conf().set(key, "America/Los_Angeles");
    try {
      Dataset<Row> entries = post(
          "late|PAYOUT|null|h1|unknown|2026-11-20T23:30:00Z|1.00|0.00|0.00|0.00",
          "early|PAYOUT|null|h1|unknown|2026-11-21T00:30:00Z|1.00|0.00|0.00|0.00");

      assertEquals(sorted("late|2026-11-20", "early|2026-11-21"),
          rows(entries.where("side = 'DEBIT'"), "event_id", "entry_date"));
    } finally {
      spark.conf().set(key, before);
    }
  }

  @Test
  void emptyInputGivesNoEntries() {
    assertEquals(List.of(), rows(post()));
  }
}
