package dev.stepwise.examples.payments;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.bround;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;

import dev.stepwise.core.step.Step;
import dev.stepwise.core.step.StepInputs;
import dev.stepwise.core.step.StepOutputs;
import java.util.Arrays;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;

/**
 * Converts each payment's amount to US dollars, and sets aside payments that cannot be converted.
 *
 * <p>Inputs: {@code payments} (from {@link DeduplicatePayments}); {@code rates} with
 * {@code currency} (string) and {@code rate_to_usd} (decimal: dollars per unit, 1 for USD).
 *
 * <p>Output {@code payments}: the input columns plus {@code rate_to_usd} (DECIMAL(18,8)) and
 * {@code amount_usd} = amount × rate_to_usd, rounded HALF_EVEN to cents ({@link Money#TYPE}).
 *
 * <p>Output {@code unconvertible}: the input columns plus {@code reason}: no rate for the currency,
 * conflicting rates for it (the table lists it twice with different rates: guessing one would
 * misstate money), a rate that is not positive, or a result too large for an amount.
 */
public final class NormalizeCurrencies implements Step {
  private static final DecimalType RATE_TYPE = DataTypes.createDecimalType(18, 8);

  @Override
  public StepOutputs apply(StepInputs inputs) {
    Dataset<Row> payments = inputs.get("payments");
    Dataset<Row> rates = inputs.get("rates")
        .select(upper(trim(col("currency"))).as("rate_currency"), col("rate_to_usd").cast(RATE_TYPE).as("rate"))
        .where(col("rate").isNotNull())
        .groupBy("rate_currency")
        .agg(min("rate").as("rate_to_usd"), max("rate").as("highest_rate"));

    Column amountUsd = bround(col("amount").multiply(col("rate_to_usd")), Money.SCALE).try_cast(Money.TYPE);
    Column currency = col("currency");
    // Checked first: concat with a null currency would give a null reason and let the row through.
    Column reason = when(currency.isNull(), lit("no currency"))
        .when(col("amount").isNull(), lit("no amount"))
        .when(col("rate_to_usd").isNull(), concat(lit("no fx rate for "), currency))
        .when(col("rate_to_usd").notEqual(col("highest_rate")), concat(lit("conflicting fx rates for "), currency))
        .when(col("rate_to_usd").leq(0), concat(lit("fx rate is not positive for "), currency))
        .when(col("amount_usd").isNull(), lit("amount in USD out of range"));

    Dataset<Row> converted = payments
        .join(broadcast(rates), currency.equalTo(col("rate_currency")), "left")
        .withColumn("amount_usd", amountUsd)
        .withColumn("reason", reason);

    String[] paymentColumns = payments.columns();
    Dataset<Row> normalized = converted.where(col("reason").isNull())
        .select(columns(paymentColumns, "rate_to_usd", "amount_usd"));
    Dataset<Row> unconvertible = converted.where(col("reason").isNotNull())
        .select(columns(paymentColumns, "reason"));
    return StepOutputs.of("payments", normalized, "unconvertible", unconvertible);
  }

  private static Column[] columns(String[] first, String... more) {
    return Stream.concat(Arrays.stream(first), Arrays.stream(more))
        .map(c -> col(c))
        .toArray(Column[]::new);
  }
}
