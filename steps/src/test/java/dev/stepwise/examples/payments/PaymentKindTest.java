package dev.stepwise.examples.payments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class PaymentKindTest {

  @Test
  void theTypeDecidesUnlessAChargeIsNegative() {
    assertEquals(PaymentKind.CHARGE, PaymentKind.of("charge", new BigDecimal("10.00")));
    assertEquals(PaymentKind.CHARGE, PaymentKind.of("charge", BigDecimal.ZERO));
    assertEquals(PaymentKind.REFUND, PaymentKind.of("charge", new BigDecimal("-0.01")));
    assertEquals(PaymentKind.REFUND, PaymentKind.of("refund", new BigDecimal("-10.00")));
    assertEquals(PaymentKind.REFUND, PaymentKind.of("REFUND", new BigDecimal("10.00")));
    assertEquals(PaymentKind.PAYOUT, PaymentKind.of("payout", new BigDecimal("-10.00")));
  }

  @Test
  void onlySalesCarryFees() {
    assertTrue(PaymentKind.CHARGE.isSale());
    assertTrue(PaymentKind.REFUND.isSale());
    assertFalse(PaymentKind.PAYOUT.isSale());
  }

  @Test
  void anUnknownTypeIsRefusedWithTheValidOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PaymentKind.of("chargeback", BigDecimal.ONE));
    assertEquals("unknown event type 'chargeback'; expected one of [charge, refund, payout]", e.getMessage());
  }
}
