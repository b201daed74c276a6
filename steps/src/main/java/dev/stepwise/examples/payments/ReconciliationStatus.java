package dev.stepwise.examples.payments;

import java.math.BigDecimal;

/**
 * How a booking's payments compare with what its guest owed (guest_total). The rules apply in
 * this order, in {@link #of} and in {@link ReconcileBookings} alike:
 *
 * <ol>
 *   <li>UNKNOWN_BOOKING: payments name a booking the bookings source lacks.
 *   <li>CURRENCY_MISMATCH: a payment is not in the booking's currency; comparing would mean
 *       guessing a rate.
 *   <li>NOT_CHARGED: no charge at all.
 *   <li>MATCHED: net charged (charges − refunds) equals guest_total.
 *   <li>REFUNDED: charged exactly guest_total, then part or all of it was refunded (a
 *       cancellation or a goodwill gesture, not a collection problem).
 *   <li>UNDERPAID or OVERPAID: net charged below or above guest_total.
 * </ol>
 */
public enum ReconciliationStatus {
  UNKNOWN_BOOKING,
  CURRENCY_MISMATCH,
  NOT_CHARGED,
  MATCHED,
  REFUNDED,
  UNDERPAID,
  OVERPAID;

  public static ReconciliationStatus of(boolean bookingKnown, long foreignCurrencyPayments, long charges,
      BigDecimal charged, BigDecimal refunded, BigDecimal expected) {
    if (!bookingKnown) {
      return UNKNOWN_BOOKING;
    }
    if (foreignCurrencyPayments > 0) {
      return CURRENCY_MISMATCH;
    }
    if (charges == 0) {
      return NOT_CHARGED;
    }
    int comparison = charged.subtract(refunded).compareTo(expected);
    if (comparison == 0) {
      return MATCHED;
    }
    if (charged.compareTo(expected) == 0 && refunded.signum() > 0) {
      return REFUNDED;
    }
    return comparison < 0 ? UNDERPAID : OVERPAID;
  }
}
