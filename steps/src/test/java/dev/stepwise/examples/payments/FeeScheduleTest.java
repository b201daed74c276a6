package dev.stepwise.examples.payments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stepwise.core.step.StepParams;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FeeScheduleTest {
  private static final FeeSchedule SCHEDULE =
      new FeeSchedule(new BigDecimal("0.03"), new BigDecimal("0.12"), Map.of("Tokyo", new BigDecimal("0.05")));

  private static BigDecimal money(String value) {
    return new BigDecimal(value);
  }

  @Test
  void roundsFeesHalfEvenToTheCent() {
    assertEquals(money("0.02"), FeeSchedule.fee(money("0.50"), money("0.05")));
    assertEquals(money("0.08"), FeeSchedule.fee(money("2.50"), money("0.03")));
    assertEquals(money("1.21"), FeeSchedule.fee(money("10.10"), money("0.12")));
    assertEquals(money("0.00"), FeeSchedule.fee(money("0.00"), money("0.12")));
  }

  @Test
  void splitsASaleIntoPartsThatAddUpExactly() {
    FeeSchedule.Split paris = SCHEDULE.split(money("100.00"), "paris");
    assertEquals(new FeeSchedule.Split(money("12.00"), money("3.00"), money("85.00")), paris);
    assertEquals(money("15.00"), paris.fees());

    for (String amount : List.of("0.01", "0.05", "33.33", "99.99", "12345.67")) {
      FeeSchedule.Split split = SCHEDULE.split(money(amount), "tokyo");
      assertEquals(money(amount), split.guestFee().add(split.hostFee()).add(split.hostShare()), amount);
    }
  }

  @Test
  void appliesTheMarketOverrideWhateverItsCase() {
    assertEquals(money("0.05"), SCHEDULE.hostFeeRateIn("TOKYO"));
    assertEquals(money("0.03"), SCHEDULE.hostFeeRateIn("paris"));
    assertEquals(money("0.03"), SCHEDULE.hostFeeRateIn(null));
  }

  @Test
  void readsItsParams() {
    FeeSchedule schedule = FeeSchedule.from(StepParams.of(Map.of(
        "host_fee_rate", 0.03, "guest_fee_rate", "0.12", "market_host_fee_rates", Map.of("tokyo", 0.05))));

    assertEquals(SCHEDULE, schedule);
    assertEquals(Map.of(), FeeSchedule.from(StepParams.of(Map.of("host_fee_rate", 0.03, "guest_fee_rate", 0.12)))
        .marketHostFeeRates());
  }

  @Test
  void reportsAParamNobodyAskedFor() {
    StepParams params = StepParams.of(Map.of("host_fee_rate", 0.03, "guest_fee_rate", 0.12, "guest_fee_rat", 0.1));
    FeeSchedule.from(params);

    assertEquals(1, params.unknownKeys().size());
  }

  @Test
  void refusesRatesOutsideZeroToOne() {
    IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
        () -> new FeeSchedule(money("-0.01"), money("0.12"), Map.of()));
    assertEquals("host_fee_rate must be a fraction within [0, 1] such as 0.03, got -0.01", negative.getMessage());

    IllegalArgumentException percent = assertThrows(IllegalArgumentException.class,
        () -> new FeeSchedule(money("0.03"), money("0.12"), Map.of("tokyo", money("5"))));
    assertEquals("market_host_fee_rates.tokyo must be a fraction within [0, 1] such as 0.03, got 5", percent.getMessage());
  }

  @Test
  void refusesFeesThatTogetherExceedTheSale() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new FeeSchedule(money("0.03"), money("0.60"), Map.of("tokyo", money("0.50"))));
    assertEquals("guest_fee_rate + market_host_fee_rates.tokyo must not exceed 1, got 0.60 + 0.50", e.getMessage());
  }
}
