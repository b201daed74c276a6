package dev.stepwise.examples.payments;

import static dev.stepwise.examples.payments.Frames.rows;
import static dev.stepwise.examples.payments.Frames.sorted;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stepwise.core.step.StepInputs;
import dev.stepwise.core.step.StepOutputs;
import dev.stepwise.testing.SparkTest;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

@SparkTest
class NormalizeCurrenciesTest {
  static final String PAYMENTS = "event_id STRING, amount DECIMAL(18,2), currency STRING";
  static final String RATES = "currency STRING, rate_to_usd DECIMAL(18,8)";

  private final SparkSession spark;

  NormalizeCurrenciesTest(SparkSession spark) {
    this.spark = spark;
  }

  private StepOutputs normalize(String[] payments, String... rates) {
    return new NormalizeCurrencies().apply(StepInputs.of(
        "payments", Frames.table(spark, PAYMENTS, payments), "rates", Frames.table(spark, RATES, rates)));
  }

  @Test
  void convertsToDollarsRoundingHalfEven() {
    StepOutputs out = normalize(new String[] {
        "e1|10.25|HALF", "e2|10.35|HALF", "e3|-10.25|HALF", "e4|99.99|USD", "e5|12000.00|JPY"},
        "HALF|0.50000000", "USD|1.00000000", "jpy|0.00667800");

    assertEquals(List.of("event_id:string", "amount:decimal(18,2)", "currency:string",
        "rate_to_usd:decimal(18,8)", "amount_usd:decimal(18,2)"), Frames.columns(out.get("payments")));
    // 5.125 -> 5.12 and 5.175 -> 5.18: to the even cent, where HALF_UP would give 5.13.
    assertEquals(sorted("e1|5.12", "e2|5.18", "e3|-5.12", "e4|99.99", "e5|80.14"),
        rows(out.get("payments"), "event_id", "amount_usd"));
    assertEquals(List.of(), rows(out.get("unconvertible")));
  }

  @Test
  void setsAsidePaymentsThatCannotBeConverted() {
    StepOutputs out = normalize(new String[] {
        "e1|10.00|BRL", "e2|10.00|XXX", "e3|10.00|NUL", "e4|10.00|ZER", "e5|999999999999.99|BIG", "e6|10.00|EUR"},
        "XXX|1.00000000", "XXX|1.10000000", "NUL|null", "ZER|0E-8", "BIG|1000000.00000000", "EUR|1.08000000");

    assertEquals(List.of("event_id:string", "amount:decimal(18,2)", "currency:string", "reason:string"),
        Frames.columns(out.get("unconvertible")));
    assertEquals(sorted(
        "e1|10.00|BRL|no fx rate for BRL",
        "e2|10.00|XXX|conflicting fx rates for XXX",
        "e3|10.00|NUL|no fx rate for NUL",
        "e4|10.00|ZER|fx rate is not positive for ZER",
        "e5|999999999999.99|BIG|amount in USD out of range"),
        rows(out.get("unconvertible")));
    assertEquals(List.of("e6|10.80"), rows(out.get("payments"), "event_id", "amount_usd"));
  }

  @Test
  void aRateListedTwiceAlikeConvertsEachPaymentOnce() {
    StepOutputs out = normalize(new String[] {"e1|10.00|EUR"}, "EUR|1.08000000", " eur |1.08000000");

    assertEquals(List.of("e1|1.08000000|10.80"), rows(out.get("payments"), "event_id", "rate_to_usd", "amount_usd"));
  }

  @Test
  void emptyInputsGiveEmptyOutputs() {
    StepOutputs out = normalize(new String[0]);

    assertEquals(List.of(), rows(out.get("payments")));
    assertEquals(List.of(), rows(out.get("unconvertible")));
  }
}
