package dev.stepwise.examples.payments;

import java.util.Locale;

/** The ledger's accounts, named in data by {@link #id()}. */
public enum LedgerAccount {
  /** Money received from guests (an asset). */
  GUEST_CASH,
  /** What the platform owes hosts (a liability). */
  HOST_PAYABLE,
  /** The platform's fees. */
  PLATFORM_REVENUE,
  /** Money sent to hosts, on its way out of the bank account. */
  PAYOUT_CLEARING;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
