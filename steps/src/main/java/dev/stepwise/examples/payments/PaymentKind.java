package dev.stepwise.examples.payments;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/**
 * What a payment does to money, decided from its event type and the sign of its amount.
 *
 * <p>Amounts in events are expected to be positive magnitudes; the direction comes from the type.
 * Payment processors still send negative amounts now and then: a negative charge is a reversal,
 * so it becomes a {@link #REFUND}; a negative refund or payout keeps its type (senders disagree on
 * whether refunds are signed). In every case the magnitude is what gets posted, and the payment is
 * flagged {@code sign_corrected} so the anomaly stays visible.
 */
public enum PaymentKind {
  CHARGE,
  REFUND,
  PAYOUT;

  /** The event types a payment event may carry, as written in the JSON. */
  public static final List<String> EVENT_TYPES = List.of("charge", "refund", "payout");

  /** The kind of a parsed event; {@code eventType} is one of {@link #EVENT_TYPES}. */
  public static PaymentKind of(String eventType, BigDecimal amount) {
    return switch (eventType.toLowerCase(Locale.ROOT)) {
      case "payout" -> PAYOUT;
      case "refund" -> REFUND;
      case "charge" -> amount.signum() < 0 ? REFUND : CHARGE;
      default -> throw new IllegalArgumentException(
          "unknown event type '" + eventType + "'; expected one of " + EVENT_TYPES);
    };
  }

  /** Charges and refunds move a guest's money and carry fees; payouts only settle a host's balance. */
  public boolean isSale() {
    return this != PAYOUT;
  }
}
