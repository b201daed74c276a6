package dev.stepwise.examples.payments;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.raise_error;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.stepwise.core.step.Step;
import dev.stepwise.core.step.StepInputs;
import dev.stepwise.core.step.StepOutputs;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * Proves the ledger balances, day by day and event by event, and fails the task when it does not.
 *
 * <p>Input {@code entries}: from {@link PostLedgerEntries}.
 *
 * <p>Output {@code report}: one row per {@code entry_date} (date) with {@code events, entries}
 * (long), {@code total_debits, total_credits, difference} (debits − credits, {@link Money#TOTAL_TYPE}),
 * {@code unbalanced_events} (long) and {@code status} ({@value #BALANCED}).
 *
 * <p>The step stays pure: the check is a Spark expression. Computing the report raises
 * "ledger does not balance on DATE: ..." when a day's totals differ or any of its events does not
 * balance on its own (two wrong events could cancel out in a day's totals); the report is filtered
 * on its status so that even an action that prunes columns, like count(), evaluates the check.
 */
public final class CheckLedgerBalance implements Step {
  public static final String BALANCED = "BALANCED";

  @Override
  public StepOutputs apply(StepInputs inputs) {
    Column debit = col("side").equalTo(LedgerSide.DEBIT.name());
    Dataset<Row> perEvent = inputs.get("entries")
        .groupBy("entry_date", "event_id")
        .agg(Money.total(when(debit, col("amount_usd"))).as("debits"),
            Money.total(when(not(debit), col("amount_usd"))).as("credits"),
            count(lit(1)).as("entries"));

    Dataset<Row> perDay = perEvent.groupBy("entry_date")
        .agg(count(lit(1)).as("events"),
            sum("entries").as("entries"),
            Money.total(col("debits")).as("total_debits"),
            Money.total(col("credits")).as("total_credits"),
            count(when(col("debits").notEqual(col("credits")), lit(1))).as("unbalanced_events"))
        .withColumn("difference", col("total_debits").minus(col("total_credits")).cast(Money.TOTAL_TYPE));

    Column unbalanced = col("difference").notEqual(0).or(col("unbalanced_events").gt(0));
    Dataset<Row> report = perDay
        .withColumn("status", when(unbalanced, raise_error(imbalanceMessage())).otherwise(lit(BALANCED)))
        .where(col("status").isNotNull())
        .select("entry_date", "events", "entries", "total_debits", "total_credits", "difference",
            "unbalanced_events", "status");
    return StepOutputs.of("report", report);
  }

  private static Column imbalanceMessage() {
    return concat(
        lit("ledger does not balance on "), text(col("entry_date")),
        lit(": debits "), text(col("total_debits")),
        lit(", credits "), text(col("total_credits")),
        lit(", difference "), text(col("difference")),
        lit(", unbalanced events "), text(col("unbalanced_events")));
  }

  private static Column text(Column value) {
    return value.cast(DataTypes.StringType);
  }
}
