package dev.stepwise.examples.payments;

import static org.apache.spark.sql.functions.bround;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import java.math.BigDecimal;
import java.math.RoundingMode;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;

/**
 * How money is typed and rounded, once for the whole pipeline: amounts are {@code DECIMAL(18,2)},
 * totals {@code DECIMAL(28,2)}, and every rounding is HALF_EVEN to two places, in Spark
 * ({@code bround}) and in plain Java alike, so a helper tested with BigDecimals computes exactly
 * what the step computes.
 */
public final class Money {
  public static final int SCALE = 2;
  public static final RoundingMode ROUNDING = RoundingMode.HALF_EVEN;
  /** An amount: up to 16 digits before the point, which no single payment comes near. */
  public static final DecimalType TYPE = DataTypes.createDecimalType(18, SCALE);
  /** A sum of amounts; Spark's own widening of a DECIMAL(18,2) sum, fixed here so it is stable. */
  public static final DecimalType TOTAL_TYPE = DataTypes.createDecimalType(28, SCALE);

  private Money() {}

  public static BigDecimal round(BigDecimal value) {
    return value.setScale(SCALE, ROUNDING);
  }

  /** Rounds to an amount; throws (ANSI) rather than truncate if the value cannot fit. */
  public static Column round(Column value) {
    return bround(value, SCALE).cast(TYPE);
  }

  public static Column zero() {
    return lit(BigDecimal.ZERO).cast(TYPE);
  }

  /** The sum of amounts, 0.00 (not null) when there is nothing to add. */
  public static Column total(Column amount) {
    return coalesce(sum(amount).cast(TOTAL_TYPE), lit(BigDecimal.ZERO).cast(TOTAL_TYPE));
  }
}
