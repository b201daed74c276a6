package dev.stepwise.examples.payments;

import java.math.BigDecimal;
import java.util.List;

/**
 * The posting rules: which ledger lines each kind of payment produces. They are data, not code,
 * so {@link PostLedgerEntries} builds its Spark expression from the very table a unit test checks
 * with plain values.
 *
 * <ul>
 *   <li>CHARGE of A: debit guest_cash A; credit host_payable (host share); credit platform_revenue (fees).
 *   <li>REFUND of R: the same lines with the sides swapped, for the split of R.
 *   <li>PAYOUT of P: debit host_payable P; credit payout_clearing P.
 * </ul>
 *
 * <p>Each rule balances by construction because host share = amount − fees.
 */
public final class LedgerPostings {

  /** Which part of a payment a line carries. */
  public enum Part {
    AMOUNT,
    FEES,
    HOST_SHARE
  }

  public record Posting(LedgerAccount account, LedgerSide side, Part part) {}

  /** One line of the ledger, with plain values. */
  public record Line(LedgerAccount account, LedgerSide side, BigDecimal amount) {}

  private static final List<Posting> CHARGE = List.of(
      new Posting(LedgerAccount.GUEST_CASH, LedgerSide.DEBIT, Part.AMOUNT),
      new Posting(LedgerAccount.HOST_PAYABLE, LedgerSide.CREDIT, Part.HOST_SHARE),
      new Posting(LedgerAccount.PLATFORM_REVENUE, LedgerSide.CREDIT, Part.FEES));
  private static final List<Posting> REFUND = List.of(
      new Posting(LedgerAccount.GUEST_CASH, LedgerSide.CREDIT, Part.AMOUNT),
      new Posting(LedgerAccount.HOST_PAYABLE, LedgerSide.DEBIT, Part.HOST_SHARE),
      new Posting(LedgerAccount.PLATFORM_REVENUE, LedgerSide.DEBIT, Part.FEES));
  private static final List<Posting> PAYOUT = List.of(
      new Posting(LedgerAccount.HOST_PAYABLE, LedgerSide.DEBIT, Part.AMOUNT),
      new Posting(LedgerAccount.PAYOUT_CLEARING, LedgerSide.CREDIT, Part.AMOUNT));

  private LedgerPostings() {}

  public static List<Posting> rulesFor(PaymentKind kind) {
    return switch (kind) {
      case CHARGE -> CHARGE;
      case REFUND -> REFUND;
      case PAYOUT -> PAYOUT;
    };
  }

  /**
   * The lines of one payment.
   *
   * @param amount the payment's magnitude in USD (positive)
   * @param fees guest fee + host fee (zero for payouts)
   * @param hostShare amount − fees (zero for payouts)
   */
  public static List<Line> post(PaymentKind kind, BigDecimal amount, BigDecimal fees, BigDecimal hostShare) {
    return rulesFor(kind).stream()
        .map(p -> new Line(p.account(), p.side(), pick(p.part(), amount, fees, hostShare)))
        .toList();
  }

  private static BigDecimal pick(Part part, BigDecimal amount, BigDecimal fees, BigDecimal hostShare) {
    return switch (part) {
      case AMOUNT -> amount;
      case FEES -> fees;
      case HOST_SHARE -> hostShare;
    };
  }
}
