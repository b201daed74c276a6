package dev.stepwise.examples.payments;

import static dev.stepwise.examples.payments.Frames.rows;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.testing.SparkTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@SparkTest
class PaymentsSampleDataTest {
  private static final LocalDate RUN_DATE = LocalDate.of(2026, 11, 21);

  private final SparkSession spark;

  PaymentsSampleDataTest(SparkSession spark) {
    this.spark = spark;
  }

  private static GenerationSummary write(Path root, int events, long seed) {
    return PaymentsSampleData.write(RUN_DATE, events, seed, root.resolve("events"), root.resolve("fx"),
        root.resolve("bookings"));
  }

  @Test
  void theSameArgumentsWriteTheSameBytes(@TempDir Path first, @TempDir Path second, @TempDir Path other)
      throws IOException {
    GenerationSummary a = write(first, 2_000, 7);
    GenerationSummary b = write(second, 2_000, 7);
    write(other, 2_000, 8);

    assertEquals(a, b);
    for (String file : List.of("events/" + PaymentsSampleData.EVENTS_FILE, "fx/" + PaymentsSampleData.FX_RATES_FILE,
        "bookings/" + PaymentsSampleData.BOOKINGS_FILE)) {
      assertArrayEquals(Files.readAllBytes(first.resolve(file)), Files.readAllBytes(second.resolve(file)), file);
    }
    assertFalse(Files.readString(first.resolve("events/events.jsonl"))
        .equals(Files.readString(other.resolve("events/events.jsonl"))));
  }

  @Test
  void rewritingReplacesTheFiles(@TempDir Path root) throws IOException {
    write(root, 500, 1);
    GenerationSummary smaller = write(root, 100, 1);

    try (Stream<String> lines = Files.lines(root.resolve("events/events.jsonl"))) {
      assertEquals(smaller.linesWritten(), lines.count());
    }
    assertEquals("currency,rate_to_usd", Files.readAllLines(root.resolve("fx/fx_rates.csv")).get(0));
    assertEquals("booking_id,host_id,market,guest_total,currency,check_in",
        Files.readAllLines(root.resolve("bookings/bookings.csv")).get(0));
  }

  @Test
  void zeroEventsStillWritesEveryFile(@TempDir Path root) throws IOException {
    GenerationSummary summary = write(root, 0, 1);

    assertEquals(0, summary.events());
    assertEquals(List.of(), Files.readAllLines(root.resolve("events/events.jsonl")));
    assertEquals(2, Files.readAllLines(root.resolve("bookings/bookings.csv")).size());
  }

  @Test
  void thePipelineFindsWhatTheGeneratorInjected(@TempDir Path root) {
    GenerationSummary summary = write(root, 3_000, 2026);
    Map<String, Dataset<Row>> out = PaymentsPipeline.run(raw(root), rates(root), bookings(root));

    Dataset<Row> events = out.get("payment_events");
    Dataset<Row> payments = out.get("unique_payments").cache();
    assertEquals(summary.linesWritten(), summary.events() + summary.duplicates() + summary.malformed());
    assertEquals(summary.malformed(), out.get("malformed_payment_events").count());
    assertEquals(summary.events() + summary.duplicates(), events.count());
    assertEquals(summary.events(), payments.count());
    assertEquals(summary.late(), payments.where("is_late").count());
    assertEquals(summary.charges(), payments.where("event_type = 'charge'").count());
    assertEquals(summary.refunds(), payments.where("event_type = 'refund'").count());
    assertEquals(summary.payouts(), payments.where("event_type = 'payout'").count());
    assertEquals(summary.unconvertible(), out.get("unconvertible_payments").count());
    assertEquals(summary.bookings(), bookings(root).count());
    Dataset<Row> knownBookings = bookings(root).select(col("booking_id").as("known_booking_id"));
    assertEquals(summary.chargesWithoutBooking(), payments.where("event_type = 'charge'")
        .join(knownBookings, col("booking_id").equalTo(col("known_booking_id")), "left_anti")
        .count());
    assertTrue(summary.duplicates() > 0 && summary.malformed() > 0 && summary.late() > 0
        && summary.unconvertible() > 0 && summary.refunds() > 0 && summary.payouts() > 0, summary.toString());

    assertEquals(Set.of("not a JSON object", "missing currency", "amount is not a decimal number", "unknown event_type"),
        Set.copyOf(rows(out.get("malformed_payment_events"), "reason")));
    assertEquals(List.of("unconvertible|no fx rate for BRL|" + summary.unconvertible()),
        rows(out.get("rejected_event_summary").where("source = 'unconvertible'")));
    // Collecting the report runs the balance check: refunds and payouts must leave it balanced.
    assertEquals(List.of("2026-11-20|BALANCED", "2026-11-21|BALANCED"),
        rows(out.get("ledger_balance_report"), "entry_date", "status"));
    assertTrue(Set.copyOf(rows(out.get("booking_reconciliation"), "status")).containsAll(
        Set.of("MATCHED", "REFUNDED", "UNDERPAID", "NOT_CHARGED", "UNKNOWN_BOOKING")));
    payments.unpersist();
  }

  @Test
  void theOutputsDoNotDependOnHowTheInputIsPartitioned(@TempDir Path root) {
    write(root, 400, 99);
    Map<String, Dataset<Row>> once = PaymentsPipeline.run(raw(root), rates(root), bookings(root));
    Map<String, Dataset<Row>> shuffled =
        PaymentsPipeline.run(raw(root).repartition(5, col("value")), rates(root), bookings(root).repartition(3));

    // The ledger carries every upstream choice (which copy of a duplicate, which booking row).
    for (String output : List.of("ledger_entries", "booking_reconciliation")) {
      assertEquals(rows(once.get(output)), rows(shuffled.get(output)), output);
    }
  }



  private Dataset<Row> raw(Path root) {
    return spark.read().text(root.resolve("events").toString());
  }

  private Dataset<Row> rates(Path root) {
    return spark.read().option("header", "true").schema("currency STRING, rate_to_usd DECIMAL(18,8)")
        .csv(root.resolve("fx").toString());
  }

  private Dataset<Row> bookings(Path root) {
    return spark.read().option("header", "true")
        .schema("booking_id STRING, host_id STRING, market STRING, guest_total DECIMAL(18,2), currency STRING, check_in DATE")
        .csv(root.resolve("bookings").toString());
  }
}
