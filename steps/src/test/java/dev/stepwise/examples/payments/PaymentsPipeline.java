package dev.stepwise.examples.payments;

import dev.stepwise.core.step.StepInputs;
import dev.stepwise.core.step.StepOutputs;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Every step chained by hand, with the datasets named as in conf/payments.conf. */
final class PaymentsPipeline {
  static final FeeSchedule FEES =
      new FeeSchedule(new BigDecimal("0.03"), new BigDecimal("0.12"), Map.of("tokyo", new BigDecimal("0.05")));

  private PaymentsPipeline() {}

  static Map<String, Dataset<Row>> run(Dataset<Row> raw, Dataset<Row> rates, Dataset<Row> bookings) {
    Map<String, Dataset<Row>> data = new LinkedHashMap<>();
    StepOutputs parsed = new ParsePaymentEvents().apply(StepInputs.of("raw", raw));
    data.put("payment_events", parsed.get("events"));
    data.put("malformed_payment_events", parsed.get("malformed"));
    data.put("unique_payments", new DeduplicatePayments(Duration.ofHours(6))
        .apply(StepInputs.of("events", parsed.get("events"))).get("payments"));
    StepOutputs normalized = new NormalizeCurrencies()
        .apply(StepInputs.of("payments", data.get("unique_payments"), "rates", rates));
    data.put("normalized_payments", normalized.get("payments"));
    data.put("unconvertible_payments", normalized.get("unconvertible"));
    data.put("enriched_payments", new EnrichWithBookings()
        .apply(StepInputs.of("payments", normalized.get("payments"), "bookings", bookings)).get("payments"));
    data.put("classified_payments", new ClassifyPayments()
        .apply(StepInputs.of("payments", data.get("enriched_payments"))).get("payments"));
    data.put("payments_with_fees", new ComputeFees(FEES)
        .apply(StepInputs.of("payments", data.get("classified_payments"))).get("payments"));
    data.put("ledger_entries", new PostLedgerEntries()
        .apply(StepInputs.of("payments", data.get("payments_with_fees"))).get("entries"));
    data.put("ledger_balance_report", new CheckLedgerBalance()
        .apply(StepInputs.of("entries", data.get("ledger_entries"))).get("report"));
    data.put("market_revenue", new AggregateRevenueByMarket()
        .apply(StepInputs.of("entries", data.get("ledger_entries"))).get("revenue"));
    data.put("host_payouts", new ComputeHostPayouts()
        .apply(StepInputs.of("payments", data.get("payments_with_fees"))).get("payouts"));
    data.put("booking_reconciliation", new ReconcileBookings()
        .apply(StepInputs.of("payments", data.get("payments_with_fees"), "bookings", bookings)).get("reconciliation"));
    data.put("rejected_event_summary", new SummarizeRejectedEvents()
        .apply(StepInputs.of("malformed", data.get("malformed_payment_events"),
            "unconvertible", data.get("unconvertible_payments"))).get("summary"));
    return data;
  }
}
