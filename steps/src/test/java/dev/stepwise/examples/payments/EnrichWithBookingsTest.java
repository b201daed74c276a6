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
class EnrichWithBookingsTest {
  static final String PAYMENTS = "event_id STRING, event_type STRING, booking_id STRING, host_id STRING, amount_usd DECIMAL(18,2)";
  static final String BOOKINGS = "booking_id STRING, host_id STRING, market STRING, guest_total DECIMAL(18,2), "
      + "currency STRING, check_in DATE";

  private final SparkSession spark;

  EnrichWithBookingsTest(SparkSession spark) {
    this.spark = spark;
  }

  private Dataset<Row> enrich(String[] payments, String... bookings) {
    return new EnrichWithBookings().apply(StepInputs.of(
            "payments", Frames.table(spark, PAYMENTS, payments), "bookings", Frames.table(spark, BOOKINGS, bookings)))
        .get("payments");
  }

  @Test
  void takesMarketAndHostFromTheBooking() {
    Dataset<Row> enriched = enrich(new String[] {
        "e1|charge|b1|h1|100.00",
        "e2|charge|b2|h9|50.00",
        "e3|refund|missing|h3|5.00",
        "e4|payout|null|h4|70.00"},
        "b1|h1|paris|100.00|EUR|2026-12-01",
        "b2|h2|tokyo|50.00|JPY|2026-12-02",
        "b3|h3|london|10.00|GBP|2026-12-03");

    assertEquals(List.of("event_id:string", "event_type:string", "booking_id:string", "host_id:string",
        "amount_usd:decimal(18,2)", "market:string", "booking_found:boolean"), Frames.columns(enriched));
    assertEquals(sorted(
        "e1|charge|b1|h1|100.00|paris|true",
        "e2|charge|b2|h2|50.00|tokyo|true",
        "e3|refund|missing|h3|5.00|unknown|false",
        "e4|payout|null|h4|70.00|unknown|false"),
        rows(enriched));
  }

  @Test
  void aBookingListedTwiceNeverDuplicatesAPayment() {
    Dataset<Row> enriched = enrich(new String[] {"e1|charge|b1|h1|100.00"},
        "b1|h1|rome|100.00|EUR|2026-12-01",
        "b1|h1|paris|100.00|EUR|2026-12-01",
        "null|h5|lisbon|1.00|EUR|2026-12-01");

    // Of two rows for one booking the smallest wins, whatever their order.
    assertEquals(List.of("e1|h1|paris"), rows(enriched, "event_id", "host_id", "market"));
  }

  @Test
  void aBookingWithoutMarketCountsAsUnknownMarket() {
    Dataset<Row> enriched = enrich(new String[] {"e1|charge|b1|h1|100.00"}, "b1|null|null|100.00|EUR|2026-12-01");

    assertEquals(List.of("e1|h1|unknown|true"), rows(enriched, "event_id", "host_id", "market", "booking_found"));
  }

  @Test
  void emptyBookingsLeaveEveryPaymentInTheUnknownMarket() {
    assertEquals(List.of("e1|unknown|false"),
        rows(enrich(new String[] {"e1|charge|b1|h1|100.00"}), "event_id", "market", "booking_found"));
    assertEquals(List.of(), rows(enrich(new String[0], "b1|h1|paris|100.00|EUR|2026-12-01")));
  }
}
