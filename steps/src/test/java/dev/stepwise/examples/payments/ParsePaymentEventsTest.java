package dev.stepwise.examples.payments;

import static dev.stepwise.examples.payments.Frames.rows;
import static dev.stepwise.examples.payments.Frames.sorted;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stepwise.core.step.StepInputs;
import dev.stepwise.core.step.StepOutputs;
import dev.stepwise.testing.SparkTest;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

@SparkTest
class ParsePaymentEventsTest {
  private static final String TIMES = "\"occurred_at\":\"2026-11-21T10:00:00Z\",\"ingested_at\":\"2026-11-21T10:01:00Z\"";

  private final SparkSession spark;

  ParsePaymentEventsTest(SparkSession spark) {
    this.spark = spark;
  }

  private StepOutputs parse(String... lines) {
    return new ParsePaymentEvents().apply(StepInputs.of("raw", Frames.lines(spark, lines)));
  }

  @Test
  void parsesValidEventsOfEveryType() {
    StepOutputs out = parse(
        "{\"event_id\":\"e1\",\"event_type\":\"charge\",\"booking_id\":\"b1\",\"host_id\":\"h1\",\"amount\":\"120.50\",\"currency\":\"EUR\"," + TIMES + "}",
        "{\"event_id\":\"e2\",\"event_type\":\"refund\",\"booking_id\":\"b1\",\"host_id\":\"h1\",\"amount\":\"20\",\"currency\":\"EUR\"," + TIMES + "}",
        "{\"event_id\":\"e3\",\"event_type\":\"payout\",\"booking_id\":null,\"host_id\":\"h1\",\"amount\":\"75.00\",\"currency\":\"EUR\"," + TIMES + "}");

    assertEquals(List.of("event_id:string", "event_type:string", "booking_id:string", "host_id:string",
        "amount:decimal(18,2)", "currency:string", "occurred_at:timestamp", "ingested_at:timestamp"),
        Frames.columns(out.get("events")));
    assertEquals(sorted(
        "e1|charge|b1|h1|120.50|EUR|2026-11-21 10:00:00.0|2026-11-21 10:01:00.0",
        "e2|refund|b1|h1|20.00|EUR|2026-11-21 10:00:00.0|2026-11-21 10:01:00.0",
        "e3|payout|null|h1|75.00|EUR|2026-11-21 10:00:00.0|2026-11-21 10:01:00.0"),
        rows(out.get("events")));
    assertEquals(List.of(), rows(out.get("malformed")));
  }

  @Test
  void normalizesCaseZonesAndNumericAmounts() {
    StepOutputs out = parse("{\"event_id\":\"e1\",\"event_type\":\" Charge \",\"booking_id\":\"b1\",\"host_id\":\"h1\","
        + "\"amount\":12.5,\"currency\":\"eur\",\"occurred_at\":\"2026-11-21T01:00:00+02:00\","
        + "\"ingested_at\":\"2026-11-21T00:00:00.250Z\",\"extra\":\"ignored\"}");

    assertEquals(List.of("e1|charge|12.50|EUR|2026-11-20 23:00:00.0|2026-11-21 00:00:00.25"),
        rows(out.get("events"), "event_id", "event_type", "amount", "currency", "occurred_at", "ingested_at"));
  }

  @Test
  void setsAsideEveryBadLineWithItsReason() {
    String noCurrency = "{\"event_id\":\"e5\",\"event_type\":\"charge\",\"booking_id\":\"b1\",\"host_id\":\"h1\",\"amount\":\"1.00\"," + TIMES + "}";
    String[] lines = {
        "",
        "{\"event_id\":\"e1\",\"event_type\":",
        "[{\"event_id\":\"e2\"}]",
        "{\"event_type\":\"charge\",\"booking_id\":\"b1\",\"host_id\":\"h1\",\"amount\":\"1.00\",\"currency\":\"USD\"," + TIMES + "}",
        "{\"event_id\":\" \",\"event_type\":\"charge\",\"booking_id\":\"b1\",\"host_id\":\"h1\",\"amount\":\"1.00\",\"currency\":\"USD\"," + TIMES + "}",
        noCurrency,
        "{\"event_id\":\"e6\",\"event_type\":\"chargeback\",\"booking_id\":\"b1\",\"host_id\":\"h1\",\"amount\":\"1.00\",\"currency\":\"USD\"," + TIMES + "}",
        "{\"event_id\":\"e7\",\"event_type\":\"refund\",\"host_id\":\"h1\",\"amount\":\"1.00\",\"currency\":\"USD\"," + TIMES + "}",
        "{\"event_id\":\"e8\",\"event_type\":\"charge\",\"booking_id\":\"b1\",\"host_id\":\"h1\",\"amount\":\"12,50\",\"currency\":\"USD\"," + TIMES + "}",
        "{\"event_id\":\"e9\",\"event_type\":\"charge\",\"booking_id\":\"b1\",\"host_id\":\"h1\",\"amount\":\"1.005\",\"currency\":\"USD\"," + TIMES + "}",
        "{\"event_id\":\"e10\",\"event_type\":\"charge\",\"booking_id\":\"b1\",\"host_id\":\"h1\",\"amount\":\"1e3\",\"currency\":\"USD\"," + TIMES + "}",
        "{\"event_id\":\"e11\",\"event_type\":\"charge\",\"booking_id\":\"b1\",\"host_id\":\"h1\",\"amount\":\"1.00\",\"currency\":\"US\"," + TIMES + "}",
        "{\"event_id\":\"e12\",\"event_type\":\"charge\",\"booking_id\":\"b1\",\"host_id\":\"h1\",\"amount\":\"1.00\",\"currency\":\"USD\","
            + "\"occurred_at\":\"2026-11-21 10:00:00\",\"ingested_at\":\"2026-11-21T10:01:00Z\"}",
        "{\"event_id\":\"e13\",\"event_type\":\"charge\",\"booking_id\":\"b1\",\"host_id\":\"h1\",\"amount\":\"1.00\",\"currency\":\"USD\","
            + "\"occurred_at\":\"2026-11-21T10:00:00Z\",\"ingested_at\":\"2026-02-30T10:01:00Z\"}",
    };
    StepOutputs out = parse(lines);

    assertEquals(List.of(), rows(out.get("events")));
    assertEquals(List.of("value:string", "reason:string"), Frames.columns(out.get("malformed")));
    assertEquals(sorted(
        "empty line", "not a JSON object", "not a JSON object", "missing event_id", "missing event_id",
        "missing currency", "unknown event_type", "missing booking_id", "amount is not a decimal number",
        "amount is not a decimal number", "amount is not a decimal number", "currency is not a 3-letter code",
        "occurred_at is not an ISO-8601 timestamp with zone", "ingested_at is not an ISO-8601 timestamp with zone"),
        rows(out.get("malformed"), "reason"));
    // The raw line is kept as it was read, for whoever repairs it.
    assertEquals(List.of(noCurrency + "|missing currency"),
        rows(out.get("malformed").where("reason = 'missing currency'")));
  }

  @Test
  void everyLineLandsInExactlyOneOutput() {
    String valid = "{\"event_id\":\"e1\",\"event_type\":\"payout\",\"host_id\":\"h1\",\"amount\":\"-5.00\",\"currency\":\"GBP\"," + TIMES + "}";
    // Duplicates are the next step's business: both copies of a valid line are events.
    StepOutputs out = parse(valid, valid, "garbage", "null", "{}");

    assertEquals(2, out.get("events").count());
    assertEquals(sorted("garbage|not a JSON object", "null|not a JSON object", "{}|missing event_id"),
        rows(out.get("malformed")));
  }

  @Test
  void emptyInputGivesEmptyOutputs() {
    StepOutputs out = parse();

    assertEquals(List.of(), rows(out.get("events")));
    assertEquals(List.of(), rows(out.get("malformed")));
  }
}
