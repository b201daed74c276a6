package dev.stepwise.examples.payments;

/** The side of a double-entry line; every event's debits equal its credits. */
public enum LedgerSide {
  DEBIT,
  CREDIT
}
