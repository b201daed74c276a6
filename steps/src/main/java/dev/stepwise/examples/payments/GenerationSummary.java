package dev.stepwise.examples.payments;

/**
 * What {@link PaymentsSampleData} wrote, so a test or a demo can check the pipeline's counts.
 *
 * @param linesWritten lines in events.jsonl: events + duplicates + malformed
 * @param events distinct valid events (what deduplication should keep)
 * @param charges valid charge events, {@code chargesWithoutBooking} of them naming no known booking
 * @param refunds valid refund events; each refunds at most what its charge took
 * @param payouts valid payout events
 * @param duplicates extra copies of valid events, re-sent later with the same event_id
 * @param malformed lines the parser must reject
 * @param late distinct valid events that occurred the day before the run date
 * @param unconvertible distinct valid events in a currency the fx table lacks
 * @param bookings rows in bookings.csv, some of them never charged
 * @param chargesWithoutBooking charges whose booking_id is not in bookings.csv
 */
public record GenerationSummary(
    long linesWritten,
    long events,
    long charges,
    long refunds,
    long payouts,
    long duplicates,
    long malformed,
    long late,
    long unconvertible,
    long bookings,
    long chargesWithoutBooking) {}
