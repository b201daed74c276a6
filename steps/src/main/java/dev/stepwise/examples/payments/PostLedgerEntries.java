package dev.stepwise.examples.payments;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_from_unix_date;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.inline;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.unix_seconds;
import static org.apache.spark.sql.functions.when;

import dev.stepwise.core.step.Step;
import dev.stepwise.core.step.StepInputs;
import dev.stepwise.core.step.StepOutputs;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * Posts every payment to the double-entry ledger by the rules of {@link LedgerPostings}.
 *
 * <p>Input {@code payments}: from {@link ComputeFees}.
 *
 * <p>Output {@code entries}: one row per ledger line: {@code event_id, kind, account}
 * ({@link LedgerAccount#id()}), {@code side} (DEBIT or CREDIT), {@code amount_usd}
 * ({@link Money#TYPE}), {@code market, host_id, booking_id} and {@code entry_date} (date): the UTC
 * calendar day the payment occurred on, whatever the session time zone, so a late event is booked
 * on the day it happened. Three lines per charge or refund, two per payout; for every event the
 * debits equal the credits.
 */
public final class PostLedgerEntries implements Step {
  private static final long SECONDS_PER_DAY = 86_400L;

  @Override
  public StepOutputs apply(StepInputs inputs) {
    Column lines = null;
    for (PaymentKind kind : PaymentKind.values()) {
      Column kindLines = linesOf(kind);
      Column isKind = col("kind").equalTo(kind.name());
      lines = lines == null ? when(isKind, kindLines) : lines.when(isKind, kindLines);
    }
    Dataset<Row> entries = inputs.get("payments").select(
            col("event_id"), col("kind"), inline(lines),
            col("market"), col("host_id"), col("booking_id"), entryDate().as("entry_date"))
        .select("event_id", "kind", "account", "side", "amount_usd", "market", "host_id", "booking_id",
            "entry_date");
    return StepOutputs.of("entries", entries);
  }

  private static Column linesOf(PaymentKind kind) {
    return array(LedgerPostings.rulesFor(kind).stream()
        .map(p -> struct(
            lit(p.account().id()).as("account"),
            lit(p.side().name()).as("side"),
            amountOf(p.part()).as("amount_usd")))
        .toArray(Column[]::new));
  }

  private static Column amountOf(LedgerPostings.Part part) {
    return switch (part) {
      case AMOUNT -> col("gross_usd").cast(Money.TYPE);
      case FEES -> col("guest_fee_usd").plus(col("host_fee_usd")).cast(Money.TYPE);
      case HOST_SHARE -> col("host_share_usd").cast(Money.TYPE);
    };
  }

  // to_date() would use the session time zone; days since the epoch in UTC do not.
  private static Column entryDate() {
    Column days = floor(unix_seconds(col("occurred_at")).divide(SECONDS_PER_DAY));
    return date_from_unix_date(days.cast(DataTypes.IntegerType));
  }
}
