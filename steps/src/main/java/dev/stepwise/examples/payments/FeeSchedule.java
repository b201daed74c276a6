package dev.stepwise.examples.payments;

import dev.stepwise.core.step.StepParams;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The platform's fee rates: a guest fee and a host fee, both a fraction of the sale amount and
 * both kept by the platform; the host fee may differ by market. The host's share of a sale is what
 * remains, computed by subtraction so that the three parts always add up to the amount exactly.
 *
 * @param hostFeeRate host fee rate in markets without an override, within [0, 1]
 * @param guestFeeRate guest fee rate, within [0, 1]
 * @param marketHostFeeRates host fee rate by market name (compared case-insensitively)
 */
public record FeeSchedule(
    BigDecimal hostFeeRate, BigDecimal guestFeeRate, Map<String, BigDecimal> marketHostFeeRates) {

  public FeeSchedule {
    checkRate("host_fee_rate", hostFeeRate);
    checkRate("guest_fee_rate", guestFeeRate);
    Map<String, BigDecimal> byMarket = new LinkedHashMap<>();
    marketHostFeeRates.forEach((market, rate) -> {
      checkRate("market_host_fee_rates." + market, rate);
      byMarket.put(market.toLowerCase(Locale.ROOT), rate);
    });
    marketHostFeeRates = Collections.unmodifiableMap(byMarket);
    // Fees above the sale amount would leave the host owing money for being booked.
    for (Map.Entry<String, BigDecimal> entry : byMarket.entrySet()) {
      checkTotal(guestFeeRate, entry.getValue(), "market_host_fee_rates." + entry.getKey());
    }
    checkTotal(guestFeeRate, hostFeeRate, "host_fee_rate");
  }

  /** Reads {@code host_fee_rate}, {@code guest_fee_rate} and the optional {@code market_host_fee_rates} block. */
  public static FeeSchedule from(StepParams params) {
    return new FeeSchedule(
        params.decimal("host_fee_rate"),
        params.decimal("guest_fee_rate"),
        params.has("market_host_fee_rates") ? params.decimals("market_host_fee_rates") : Map.of());
  }

  /** The host fee rate that applies in a market ({@code null} market: the default rate). */
  public BigDecimal hostFeeRateIn(String market) {
    if (market == null) {
      return hostFeeRate;
    }
    return marketHostFeeRates.getOrDefault(market.toLowerCase(Locale.ROOT), hostFeeRate);
  }

  /** A fee on an amount: {@code amount × rate}, rounded HALF_EVEN to cents. */
  public static BigDecimal fee(BigDecimal amount, BigDecimal rate) {
    return Money.round(amount.multiply(rate));
  }

  /** The split of one sale (a charge, or a refund reversing part of one) into its three parts. */
  public Split split(BigDecimal amount, String market) {
    BigDecimal guestFee = fee(amount, guestFeeRate);
    BigDecimal hostFee = fee(amount, hostFeeRateIn(market));
    return new Split(guestFee, hostFee, amount.subtract(guestFee).subtract(hostFee));
  }

  /** Guest fee + host fee + host share = the sale amount, to the cent. */
  public record Split(BigDecimal guestFee, BigDecimal hostFee, BigDecimal hostShare) {
    public BigDecimal fees() {
      return guestFee.add(hostFee);
    }
  }

  private static void checkTotal(BigDecimal guestRate, BigDecimal hostRate, String hostKey) {
    if (guestRate.add(hostRate).compareTo(BigDecimal.ONE) > 0) {
      throw new IllegalArgumentException("guest_fee_rate + " + hostKey + " must not exceed 1, got "
          + guestRate.toPlainString() + " + " + hostRate.toPlainString());
    }
  }

  private static void checkRate(String key, BigDecimal rate) {
    Objects.requireNonNull(rate, key);
    if (rate.signum() < 0 || rate.compareTo(BigDecimal.ONE) > 0) {
      throw new IllegalArgumentException(
          key + " must be a fraction within [0, 1] such as 0.03, got " + rate.toPlainString());
    }
  }
}
