package dev.stepwise.examples.payments;

import dev.stepwise.core.step.StepLibrary;
import dev.stepwise.core.step.StepType;
import java.util.List;

/**
 * The step types of the payments pipeline, as {@code conf/payments.conf} names them. Found by
 * {@link java.util.ServiceLoader} through {@code META-INF/services}.
 */
public final class PaymentsStepLibrary implements StepLibrary {

  @Override
  public List<StepType> stepTypes() {
    return List.of(
        StepType.named("parse_payment_events").inputs("raw").outputs("events", "malformed")
            .create(p -> new ParsePaymentEvents()),
        StepType.named("deduplicate_payments").inputs("events").outputs("payments")
            .create(DeduplicatePayments::from),
        StepType.named("normalize_currencies").inputs("payments", "rates").outputs("payments", "unconvertible")
            .create(p -> new NormalizeCurrencies()),
        StepType.named("enrich_with_bookings").inputs("payments", "bookings").outputs("payments")
            .create(p -> new EnrichWithBookings()),
        StepType.named("classify_payments").inputs("payments").outputs("payments")
            .create(p -> new ClassifyPayments()),
        StepType.named("compute_fees").inputs("payments").outputs("payments")
            .create(p -> new ComputeFees(FeeSchedule.from(p))),
        StepType.named("post_ledger_entries").inputs("payments").outputs("entries")
            .create(p -> new PostLedgerEntries()),
        StepType.named("check_ledger_balance").inputs("entries").outputs("report")
            .create(p -> new CheckLedgerBalance()),
        StepType.named("aggregate_revenue_by_market").inputs("entries").outputs("revenue")
            .create(p -> new AggregateRevenueByMarket()),
        StepType.named("compute_host_payouts").inputs("payments").outputs("payouts")
            .create(p -> new ComputeHostPayouts()),
        StepType.named("reconcile_bookings").inputs("payments", "bookings").outputs("reconciliation")
            .create(p -> new ReconcileBookings()),
        StepType.named("summarize_rejected_events").inputs("malformed", "unconvertible").outputs("summary")
            .create(p -> new SummarizeRejectedEvents()));
  }
}
