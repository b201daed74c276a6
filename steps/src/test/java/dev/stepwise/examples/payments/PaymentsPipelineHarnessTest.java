package dev.stepwise.examples.payments;

import static dev.stepwise.testing.DatasetAssertions.assertDatasetEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stepwise.testing.DatasetComparison;
import dev.stepwise.testing.PipelineHarness;
import dev.stepwise.testing.PipelineRun;
import dev.stepwise.testing.SparkTest;
import dev.stepwise.testing.TestDir;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The integration slice: a few hundred generated events through conf/payments.conf, run in
 * process by the real config loader, planner and task runner, must give what the steps chained by
 * hand give. This is what proves the config wires every step, role and parameter as the code
 * means it. (Other groupings are the regrouping property test's business, in the entrypoint module.)
 */
@SparkTest
class PaymentsPipelineHarnessTest {
  private static final Path CONFIG = Path.of("..", "conf", "payments.conf");
  private static final LocalDate RUN_DATE = LocalDate.of(2026, 11, 21);
  @Test
  void theConfiguredPipelineGivesWhatTheStepsChainedByHandGive(SparkSession spark, @TestDir Path dir) {
    PipelineHarness harness = PipelineHarness.builder(spark, CONFIG).storageRoot(dir).runDate(RUN_DATE).build();
    GenerationSummary summary = PaymentsSampleData.write(RUN_DATE, 200, 11, harness.directory("raw_payment_events"),
        harness.directory("fx_rates"), harness.directory("bookings"));

    PipelineRun run = harness.run("single");

    assertEquals(Set.of("ledger_balance_report", "market_revenue", "host_payouts", "booking_reconciliation",
        "rejected_event_summary"), run.finalOutputs());
    Map<String, Dataset<Row>> byHand = PaymentsPipeline.run(harness.read("raw_payment_events"),
        harness.read("fx_rates"), harness.read("bookings"));
    // Parquet reads back the exact types (only nullability is lost). The ledger carries every upstream
    // choice: parsing, which duplicate, rates, bookings, fee params. Other outputs are left to the step
    // tests: every comparison here costs a few Spark jobs on every build.
    assertDatasetEquals(byHand.get("ledger_entries"), run.output("ledger_entries"),
        DatasetComparison.DEFAULT.ignoringNullability(), "ledger_entries");
    // A CSV output reads back untyped: its counts are compared as text. It also counts what the
    // generator injected: malformed lines, and payments in a currency without a rate.
    assertDatasetEquals(
        byHand.get("rejected_event_summary").selectExpr("source", "reason", "CAST(events AS STRING) AS events"),
        run.output("rejected_event_summary"), DatasetComparison.DEFAULT.ignoringNullability(), "rejected_event_summary");
    assertEquals(summary.malformed() + summary.unconvertible(), run.output("rejected_event_summary")
        .selectExpr("CAST(sum(CAST(events AS BIGINT)) AS BIGINT)").first().getLong(0));
  }
}
