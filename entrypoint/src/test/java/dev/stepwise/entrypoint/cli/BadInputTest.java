package dev.stepwise.entrypoint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.testing.SparkTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input of every kind the example's sources can carry, injected into generated data and run
 * through the real command line: each line is either counted and set aside with its reason, or the
 * run fails with an error naming the dataset. Nothing disappears without a count.
 */
@SparkTest
class BadInputTest {
  private static final String DAY = ExamplePipeline.RUN_DATE;
  private static final String LONG_TEXT = "x".repeat(200_000);

  private final SparkSession spark;
  @TempDir Path dir;

  BadInputTest(SparkSession spark) {
    this.spark = spark;
  }

  private ExamplePipeline pipeline() {
    return new ExamplePipeline(Cli.withSession(spark), dir.resolve("data"));
  }

  private Path events() {
    return dir.resolve("data/raw/payment_events/run_date=" + DAY + "/events.jsonl");
  }

  private JsonNode report(String grouping, String task) throws IOException {
    return new ObjectMapper().readTree(dir.resolve("data/_reports/payments/" + grouping + "/" + task + "/run_date="
        + DAY + "/report.json").toFile());
  }

  private static long rowsWritten(JsonNode report, String dataset) {
    for (JsonNode written : report.at("/tasks/0/written")) {
      if (written.get("dataset").asText().equals(dataset)) {
        return written.get("rows").asLong();
      }
    }
    throw new AssertionError("the report has no written dataset '" + dataset + "': " + report);
  }

  private static String event(String eventId, String type, String bookingId, String hostId, String amount,
      String currency, String occurredAt) {
    return "{\"event_id\": " + eventId + ", \"event_type\": \"" + type + "\", \"booking_id\": " + bookingId
        + ", \"host_id\": \"" + hostId + "\", \"amount\": " + amount + ", \"currency\": \"" + currency
        + "\", \"occurred_at\": \"" + occurredAt + "\", \"ingested_at\": \"2026-11-21T12:00:00Z\"}";
  }

  @Test
  void everyBadEventIsCountedInTheReportWithItsReasonAndGoodOnesAreKept() throws IOException {
    ExamplePipeline pipeline = pipeline();
    Cli.Result generated = pipeline.command("generate", "--run-date", DAY, "--events", "120");
    Matcher count = Pattern.compile("malformed=(\\d+)").matcher(generated.out());
    assertTrue(count.find(), generated.toString());
    long generatedMalformed = Long.parseLong(count.group(1));
    Map<String, String> injected = new LinkedHashMap<>();
    injected.put("{\"event_id\": \"evt-bad-1\", \"amount\": ", "not a JSON object");
    injected.put("[1, 2, 3]", "not a JSON object");
    injected.put("   ", "empty line");
    injected.put(LONG_TEXT, "not a JSON object");
    injected.put(event("null", "charge", "\"bk-1\"", "host-1", "\"10.00\"", "EUR", "2026-11-21T10:00:00Z"),
        "missing event_id");
    injected.put(event("\"evt-bad-2\"", "charge", "null", "host-1", "\"10.00\"", "EUR", "2026-11-21T10:00:00Z"),
        "missing booking_id");
    injected.put(event("\"evt-bad-3\"", "charge", "\"bk-1\"", "host-1", "\"12,50\"", "EUR", "2026-11-21T10:00:00Z"),
        "amount is not a decimal number");
    injected.put(event("\"evt-bad-4\"", "charge", "\"bk-1\"", "host-1", "true", "EUR", "2026-11-21T10:00:00Z"),
        "amount is not a decimal number");
    injected.put(event("\"evt-bad-5\"", "charge", "\"bk-1\"", "host-1", "\"1e5\"", "EUR", "2026-11-21T10:00:00Z"),
        "amount is not a decimal number");
    injected.put(event("\"evt-bad-6\"", "charge", "\"bk-1\"", "host-1", "\"10.00\"", "EURO", "2026-11-21T10:00:00Z"),
        "currency is not a 3-letter code");
    injected.put(event("\"evt-bad-7\"", "charge", "\"bk-1\"", "host-1", "\"10.00\"", "EUR", "yesterday"),
        "occurred_at is not an ISO-8601 timestamp with zone");
    injected.put(event("\"evt-bad-8\"", "charge", "\"bk-1\"", "host-1", "\"10.00\"", "EUR", "2026-02-30T10:00:00Z"),
        "occurred_at is not an ISO-8601 timestamp with zone");
    injected.put(event("\"evt-bad-9\"", "chargeback", "\"bk-1\"", "host-1", "\"10.00\"", "EUR", "2026-11-21T10:00:00Z"),
        "unknown event_type");
    // Valid, with a very long host id: it must flow through untouched, not be cut or rejected.
    String longHost = "host-" + "7".repeat(100_000);
    String longButValid = event("\"evt-long-host\"", "payout", "null", longHost, "\"10.00\"", "USD",
        "2026-11-21T10:00:00Z");

    Files.writeString(events(), String.join("\n", injected.keySet()) + "\n" + longButValid + "\n",
        StandardOpenOption.APPEND);
    Cli.Result result = pipeline.command("run", "--task", "ingest", "--grouping", "daily", "--run-date", DAY);
    assertEquals(ExitCodes.OK, result.exitCode(), result.toString());

    List<Row> malformed = spark.read()
        .parquet(dir.resolve("data/quarantine/malformed_payment_events/run_date=" + DAY).toString()).collectAsList();
    Map<String, String> reasonOfInjected = malformed.stream()
        .filter(r -> injected.containsKey(r.<String>getAs("value")))
        .collect(Collectors.toMap(r -> r.getAs("value"), r -> r.getAs("reason")));
    assertEquals(injected, reasonOfInjected, "every injected line is set aside, with its reason");

    JsonNode report = report("daily", "ingest");
    assertEquals(generatedMalformed + injected.size(), malformed.size(),
        "what the generator injected plus what this test injected, nothing more or less");
    assertEquals(malformed.size(), rowsWritten(report, "malformed_payment_events"),
        "the run report counts every malformed line written");
    long classified = rowsWritten(report, "classified_payments");
    assertTrue(classified > 0, report.toString());
    List<Row> longHostRows = spark.read()
        .parquet(dir.resolve("data/work/classified_payments/run_date=" + DAY).toString())
        .where("event_id = 'evt-long-host'").collectAsList();
    assertEquals(1, longHostRows.size(), "the valid event with a 100,000-character host id is kept");
    assertEquals(longHost, longHostRows.get(0).getAs("host_id"));
  }

  @Test
  void aSourceValueOfTheWrongTypeFailsTheRunNamingTheDatasetInsteadOfReadingAsNull() throws IOException {
    ExamplePipeline pipeline = pipeline();
    pipeline.generate(60);
    Path rates = dir.resolve("data/raw/fx_rates/run_date=" + DAY + "/fx_rates.csv");
    Files.writeString(rates, Files.readString(rates).replace("EUR,1.08250000", "EUR,1.08.25"));
    Cli.Result result = pipeline.command("run", "--task", "ingest", "--grouping", "daily", "--run-date", DAY);
    assertEquals(ExitCodes.RUN_FAILED, result.exitCode(), result.toString());
    assertTrue(result.err().contains("source 'fx_rates' has a record that does not fit its declared schema, in file:")
        && result.err().contains("fx_rates.csv (Spark parsed it as [EUR,null]: Character array contains more than one decimal point)")
        && result.err().contains("options { mode = PERMISSIVE }"), result.toString());
    assertTrue(Files.notExists(dir.resolve("data/work/classified_payments/run_date=" + DAY)), "nothing published");
  }

  @Test
  void aZeroByteSourceFailsPreflightButOneMarkedCompleteRunsThroughWithZeroRowsAndAWarning() throws IOException {
    ExamplePipeline pipeline = pipeline();
    pipeline.generate(60);
    Files.writeString(events(), "");
    Cli.Result hollow = pipeline.command("run", "--all", "--grouping", "single", "--run-date", DAY);
    assertEquals(ExitCodes.RUN_FAILED, hollow.exitCode(), hollow.toString());
    assertTrue(hollow.err().contains("input 'raw_payment_events' has no data file at " + events().getParent()),
        hollow.toString());
    // Spark's _SUCCESS says the delivery is complete: empty on purpose.
    Files.createFile(events().resolveSibling("_SUCCESS"));
    Cli.Result result = pipeline.command("run", "--all", "--grouping", "single", "--run-date", DAY);
    assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
    JsonNode report = report("single", "payments");
    assertEquals(0, rowsWritten(report, "ledger_entries"), report.toString());
    assertEquals(0, rowsWritten(report, "malformed_payment_events"), report.toString());
    assertTrue(result.out().contains("some_markets"), "the row-count warning on market_revenue is shown:\n" + result);
  }

  @Test
  void aMissingRunDatePartitionFailsBeforeSparkNamingItWhileOtherDatesExist() {
    ExamplePipeline pipeline = pipeline();
    Cli.Result generated = pipeline.command("generate", "--run-date", "2026-11-20", "--events", "20");
    assertEquals(ExitCodes.OK, generated.exitCode(), generated.toString());
    Cli.Result result = pipeline.command("run", "--task", "ingest", "--grouping", "daily", "--run-date", DAY);
    assertEquals(ExitCodes.RUN_FAILED, result.exitCode(), result.toString());
    assertTrue(result.err().contains("input 'raw_payment_events' has no data at "
        + dir.resolve("data/raw/payment_events/run_date=" + DAY)), result.toString());
    assertTrue(result.err().contains("check the upstream delivery for " + DAY), result.toString());
  }
}
