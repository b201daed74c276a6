package dev.stepwise.examples.payments;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LedgerPostingsTest {
  private static final FeeSchedule SCHEDULE =
      new FeeSchedule(new BigDecimal("0.03"), new BigDecimal("0.12"), Map.of("tokyo", new BigDecimal("0.05")));

  private static BigDecimal money(String value) {
    return new BigDecimal(value);
  }

  @Test
  void postsAChargeAsCashInSplitBetweenHostAndPlatform() {
    assertEquals(List.of(
            new LedgerPostings.Line(LedgerAccount.GUEST_CASH, LedgerSide.DEBIT, money("100.00")),
            new LedgerPostings.Line(LedgerAccount.HOST_PAYABLE, LedgerSide.CREDIT, money("85.00")),
            new LedgerPostings.Line(LedgerAccount.PLATFORM_REVENUE, LedgerSide.CREDIT, money("15.00"))),
        LedgerPostings.post(PaymentKind.CHARGE, money("100.00"), money("15.00"), money("85.00")));
  }

  @Test
  void postsARefundAsTheMirrorOfACharge() {
    assertEquals(List.of(
            new LedgerPostings.Line(LedgerAccount.GUEST_CASH, LedgerSide.CREDIT, money("50.00")),
            new LedgerPostings.Line(LedgerAccount.HOST_PAYABLE, LedgerSide.DEBIT, money("42.50")),
            new LedgerPostings.Line(LedgerAccount.PLATFORM_REVENUE, LedgerSide.DEBIT, money("7.50"))),
        LedgerPostings.post(PaymentKind.REFUND, money("50.00"), money("7.50"), money("42.50")));
  }

  @Test
  void postsAPayoutFromHostPayableToClearing() {
    assertEquals(List.of(
            new LedgerPostings.Line(LedgerAccount.HOST_PAYABLE, LedgerSide.DEBIT, money("70.00")),
            new LedgerPostings.Line(LedgerAccount.PAYOUT_CLEARING, LedgerSide.CREDIT, money("70.00"))),
        LedgerPostings.post(PaymentKind.PAYOUT, money("70.00"), money("0.00"), money("0.00")));
  }

  @Test
  void everyKindBalancesForAnyAmountTheFeeScheduleSplits() {
    for (PaymentKind kind : PaymentKind.values()) {
      for (String amount : List.of("0.00", "0.01", "0.05", "0.50", "33.33", "1000000.01")) {
        for (String market : List.of("paris", "tokyo")) {
          FeeSchedule.Split split = kind.isSale()
              ? SCHEDULE.split(money(amount), market)
              : new FeeSchedule.Split(money("0.00"), money("0.00"), money("0.00"));
          List<LedgerPostings.Line> lines =
              LedgerPostings.post(kind, money(amount), split.fees(), split.hostShare());
          assertEquals(0, total(lines, LedgerSide.DEBIT).compareTo(total(lines, LedgerSide.CREDIT)),
              kind + " of " + amount + " in " + market + ": " + lines);
        }
      }
    }
  }

  @Test
  void accountsAreNamedInSnakeCase() {
    assertEquals("guest_cash", LedgerAccount.GUEST_CASH.id());
    assertEquals("payout_clearing", LedgerAccount.PAYOUT_CLEARING.id());
  }

  private static BigDecimal total(List<LedgerPostings.Line> lines, LedgerSide side) {
    return lines.stream().filter(l -> l.side() == side).map(LedgerPostings.Line::amount)
        .reduce(BigDecimal.ZERO, BigDecimal::add);
  }
}
