package dev.stepwise.examples.payments;

import dev.stepwise.core.step.Step;
import dev.stepwise.core.step.StepInputs;
import dev.stepwise.testing.PipelineHarness;
import dev.stepwise.testing.SparkTest;
import dev.stepwise.testing.StepDeterminism;
import dev.stepwise.testing.TestDir;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * Every step of the example gives the same rows whatever the partitioning and row order of its
 * inputs: what keeps regrouping from changing results. The inputs are generated sample data with
 * what makes order matter (duplicated events, refunds of the same booking, many rows per market and
 * host), each step fed what the steps before it produce.
 */
@SparkTest
class PaymentStepsPartitionInvarianceTest {
  private static final Path CONFIG = Path.of("..", "conf", "payments.conf");
  private static final LocalDate RUN_DATE = LocalDate.of(2026, 11, 21);

  @Test
  void everyStepIsPartitionInvariant(SparkSession spark, @TestDir Path dir) {
    PipelineHarness harness = PipelineHarness.builder(spark, CONFIG).storageRoot(dir).runDate(RUN_DATE).build();
    PaymentsSampleData.write(RUN_DATE, 100, 23, harness.directory("raw_payment_events"),
        harness.directory("fx_rates"), harness.directory("bookings"));
    Dataset<Row> rates = harness.read("fx_rates");
    Dataset<Row> bookings = harness.read("bookings");
    Map<String, Dataset<Row>> data = PaymentsPipeline.run(harness.read("raw_payment_events"), rates, bookings);
    StepDeterminism check = StepDeterminism.withSeed(RUN_DATE.toEpochDay()).trials(5);

    check(check, new ParsePaymentEvents(), StepInputs.of("raw", harness.read("raw_payment_events")));
    check(check, new DeduplicatePayments(Duration.ofHours(6)), StepInputs.of("events", data.get("payment_events")));
    check(check, new NormalizeCurrencies(),
        StepInputs.of("payments", data.get("unique_payments"), "rates", rates));
    check(check, new EnrichWithBookings(),
        StepInputs.of("payments", data.get("normalized_payments"), "bookings", bookings));
    check(check, new ClassifyPayments(), StepInputs.of("payments", data.get("enriched_payments")));
    check(check, new ComputeFees(PaymentsPipeline.FEES), StepInputs.of("payments", data.get("classified_payments")));
    check(check, new PostLedgerEntries(), StepInputs.of("payments", data.get("payments_with_fees")));
    check(check, new CheckLedgerBalance(), StepInputs.of("entries", data.get("ledger_entries")));
    check(check, new AggregateRevenueByMarket(), StepInputs.of("entries", data.get("ledger_entries")));
    check(check, new ComputeHostPayouts(), StepInputs.of("payments", data.get("payments_with_fees")));
    check(check, new ReconcileBookings(),
        StepInputs.of("payments", data.get("payments_with_fees"), "bookings", bookings));
    check(check, new SummarizeRejectedEvents(), StepInputs.of("malformed", data.get("malformed_payment_events"),
        "unconvertible", data.get("unconvertible_payments")));
  }

  private static void check(StepDeterminism check, Step step, StepInputs inputs) {
    check.check(step, inputs);
  }
}
