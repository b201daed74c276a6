package dev.stepwise.examples.payments;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.when;

import dev.stepwise.core.step.Step;
import dev.stepwise.core.step.StepInputs;
import dev.stepwise.core.step.StepOutputs;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Splits every sale into guest fee, host fee and host share, by a {@link FeeSchedule}.
 *
 * <p>Input {@code payments}: from {@link ClassifyPayments} (needs {@code kind, gross_usd, market}).
 *
 * <p>Output {@code payments}: the input columns plus {@code guest_fee_usd}, {@code host_fee_usd}
 * and {@code host_share_usd} ({@link Money#TYPE}). On charges, fee = rate × gross_usd rounded
 * HALF_EVEN to cents; host share = gross − both fees, so the parts add up exactly. A refund
 * reverses the same split computed on its own amount: a full refund undoes its charge to the cent,
 * a partial one in proportion. Payouts carry no fee and no share (all three are 0.00): they settle
 * money the host already earned.
 */
public final class ComputeFees implements Step {
  private final FeeSchedule schedule;

  public ComputeFees(FeeSchedule schedule) {
    this.schedule = Objects.requireNonNull(schedule, "schedule");
  }

  @Override
  public StepOutputs apply(StepInputs inputs) {
    Column gross = col("gross_usd");
    Column isSale = col("kind").isin(PaymentKind.CHARGE.name(), PaymentKind.REFUND.name());
    Column guestFee = Money.round(gross.multiply(lit(schedule.guestFeeRate())));
    Column hostFee = Money.round(gross.multiply(hostFeeRate()));
    Dataset<Row> priced = inputs.get("payments")
        .withColumn("guest_fee_usd", when(isSale, guestFee).otherwise(Money.zero()))
        .withColumn("host_fee_usd", when(isSale, hostFee).otherwise(Money.zero()))
        .withColumn("host_share_usd", when(isSale,
                gross.minus(col("guest_fee_usd")).minus(col("host_fee_usd")).cast(Money.TYPE))
            .otherwise(Money.zero()));
    return StepOutputs.of("payments", priced);
  }

  private Column hostFeeRate() {
    Column market = lower(col("market"));
    Column rate = lit(schedule.hostFeeRate());
    for (Map.Entry<String, BigDecimal> override : schedule.marketHostFeeRates().entrySet()) {
      rate = when(market.equalTo(override.getKey()), lit(override.getValue())).otherwise(rate);
    }
    return rate;
  }
}
