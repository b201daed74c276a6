package dev.stepwise.examples.payments;

import static dev.stepwise.examples.payments.Frames.rows;
import static dev.stepwise.examples.payments.Frames.sorted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.core.step.StepInputs;
import dev.stepwise.core.step.StepParams;
import dev.stepwise.testing.SparkTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

@SparkTest
class DeduplicatePaymentsTest {
  static final String EVENTS = "event_id STRING, event_type STRING, booking_id STRING, host_id STRING, "
      + "amount DECIMAL(18,2), currency STRING, occurred_at TIMESTAMP, ingested_at TIMESTAMP";

  private final SparkSession spark;

  DeduplicatePaymentsTest(SparkSession spark) {
    this.spark = spark;
  }

  private Dataset<Row> deduplicate(Duration lateAfter, String... events) {
    return new DeduplicatePayments(lateAfter)
        .apply(StepInputs.of("events", Frames.table(spark, EVENTS, events)))
        .get("payments");
  }

  @Test
  void keepsTheFirstIngestedCopyOfEachEvent() {
    Dataset<Row> payments = deduplicate(Duration.ofHours(6),
        "e1|charge|b1|h1|10.00|EUR|2026-11-21T10:00:00Z|2026-11-21T10:05:00Z",
        "e1|charge|b1|h1|99.00|EUR|2026-11-21T10:00:00Z|2026-11-21T10:04:00Z",
        "e1|charge|b1|h1|10.00|EUR|2026-11-21T10:00:00Z|2026-11-21T10:06:00Z",
        "e2|payout|null|h2|5.00|USD|2026-11-21T11:00:00Z|2026-11-21T11:00:01Z");

    assertEquals(List.of("event_id:string", "event_type:string", "booking_id:string", "host_id:string",
        "amount:decimal(18,2)", "currency:string", "occurred_at:timestamp", "ingested_at:timestamp",
        "is_late:boolean"), Frames.columns(payments));
    assertEquals(sorted(
        "e1|charge|b1|h1|99.00|EUR|2026-11-21 10:00:00.0|2026-11-21 10:04:00.0|false",
        "e2|payout|null|h2|5.00|USD|2026-11-21 11:00:00.0|2026-11-21 11:00:01.0|false"),
        rows(payments));
  }

  @Test
  void breaksTiesOnIngestionTimeWithTheOtherColumnsWhateverThePartitioning() {
    String[] copies = {
        "e1|charge|b1|h1|30.00|EUR|2026-11-21T10:00:00Z|2026-11-21T10:05:00Z",
        "e1|charge|b1|h1|20.00|EUR|2026-11-21T10:00:00Z|2026-11-21T10:05:00Z",
        "e1|charge|b1|h1|25.00|EUR|2026-11-21T09:59:00Z|2026-11-21T10:05:00Z"};
    Dataset<Row> input = Frames.table(spark, EVENTS, copies);
    DeduplicatePayments step = new DeduplicatePayments(Duration.ofHours(6));

    List<String> once = rows(step.apply(StepInputs.of("events", input)).get("payments"), "amount");
    List<String> shuffled = rows(step.apply(StepInputs.of("events", input.repartition(3))).get("payments"), "amount");

    // Same ingestion instant: the earlier occurrence wins, then the smaller amount.
    assertEquals(List.of("25.00"), once);
    assertEquals(once, shuffled);
  }

  @Test
  void flagsEventsIngestedLongerThanLateAfterAfterTheyOccurred() {
    Dataset<Row> payments = deduplicate(Duration.ofHours(6),
        "on_time|charge|b1|h1|1.00|USD|2026-11-21T10:00:00Z|2026-11-21T10:00:05Z",
        "exactly_6h|charge|b1|h1|1.00|USD|2026-11-21T04:00:00Z|2026-11-21T10:00:00Z",
        "just_over|charge|b1|h1|1.00|USD|2026-11-21T03:59:59Z|2026-11-21T10:00:00Z",
        "a_day_late|charge|b1|h1|1.00|USD|2026-11-20T10:00:00Z|2026-11-21T10:00:00Z");

    assertEquals(sorted("on_time|false", "exactly_6h|false", "just_over|true", "a_day_late|true"),
        rows(payments, "event_id", "is_late"));
  }

  @Test
  void readsLateAfterFromParamsWithSixHoursByDefault() {
    String event = "e1|charge|b1|h1|1.00|USD|2026-11-21T00:00:00Z|2026-11-21T08:00:00Z";
    Dataset<Row> input = Frames.table(spark, EVENTS, event);

    Dataset<Row> byDefault = DeduplicatePayments.from(StepParams.empty()).apply(StepInputs.of("events", input)).get("payments");
    Dataset<Row> lenient = DeduplicatePayments.from(StepParams.of(Map.of("late_after", "1d")))
        .apply(StepInputs.of("events", input)).get("payments");

    assertEquals(List.of("true"), rows(byDefault, "is_late"));
    assertEquals(List.of("false"), rows(lenient, "is_late"));
  }

  @Test
  void rejectsANonPositiveLateAfter() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DeduplicatePayments(Duration.ZERO));
    assertTrue(e.getMessage().contains("late_after must be a positive duration"), e.getMessage());
  }

  @Test
  void emptyInputGivesNoPayments() {
    assertEquals(List.of(), rows(deduplicate(Duration.ofHours(6))));
  }
}
