package dev.stepwise.examples.payments;

import static dev.stepwise.testing.DatasetAssertions.assertDatasetEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stepwise.core.step.StepInputs;
import dev.stepwise.core.step.StepOutputs;
import dev.stepwise.testing.SparkTest;
import dev.stepwise.testing.TestData;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** Also the example of README.md's "Testing your steps": keep the two in step. */
@SparkTest
class NormalizeCurrenciesTest {
  static final String PAYMENTS = "event_id STRING, amount DECIMAL(18,2), currency STRING";
  static final String RATES = "currency STRING, rate_to_usd DECIMAL(18,8)";
  static final String NORMALIZED = PAYMENTS + ", rate_to_usd DECIMAL(18,8), amount_usd DECIMAL(18,2)";
  static final String UNCONVERTIBLE = PAYMENTS + ", reason STRING";

  private final SparkSession spark;

  NormalizeCurrenciesTest(SparkSession spark) {
    this.spark = spark;
  }

  private Dataset<Row> payments(Object[]... rows) {
    TestData.TableBuilder table = TestData.table(spark, PAYMENTS);
    for (Object[] row : rows) {
      table.row(row);
    }
    return table.build();
  }

  private Dataset<Row> rates(String... currencyAndRate) {
    TestData.TableBuilder table = TestData.table(spark, RATES);
    for (int i = 0; i < currencyAndRate.length; i += 2) {
      table.row(currencyAndRate[i], currencyAndRate[i + 1]);
    }
    return table.build();
  }

  private static Object[] row(Object... values) {
    return values;
  }

  private static StepOutputs normalize(Dataset<Row> payments, Dataset<Row> rates) {
    return new NormalizeCurrencies().apply(StepInputs.of("payments", payments, "rates", rates));
  }

  @Test
  void convertsToDollarsAndSetsAsideUnknownCurrencies() {
    Dataset<Row> payments = TestData.table(spark, "event_id STRING, amount DECIMAL(18,2), currency STRING")
        .row("e1", "10.00", "EUR")
        .row("e2", "12000.00", "JPY")
        .row("e3", "5.00", "BRL")
        .build();
    Dataset<Row> rates = TestData.table(spark, "currency STRING, rate_to_usd DECIMAL(18,8)")
        .row("EUR", "1.0825")
        .row("JPY", "0.006678")
        .build();

    StepOutputs out = new NormalizeCurrencies().apply(StepInputs.of("payments", payments, "rates", rates));

    assertDatasetEquals(
        TestData.table(spark, "event_id STRING, amount DECIMAL(18,2), currency STRING, rate_to_usd DECIMAL(18,8), "
                + "amount_usd DECIMAL(18,2)")
            .row("e1", "10.00", "EUR", "1.0825", "10.82") // 10.825 rounds to the even cent
            .row("e2", "12000.00", "JPY", "0.006678", "80.14")
            .build(),
        out.get("payments"));
    assertDatasetEquals(
        TestData.table(spark, "event_id STRING, amount DECIMAL(18,2), currency STRING, reason STRING")
            .row("e3", "5.00", "BRL", "no fx rate for BRL")
            .build(),
        out.get("unconvertible"));
  }

  @Test
  void aWrongExpectationFailsWithADiffReadAtAGlance() {
    StepOutputs out = normalize(payments(row("e1", "10.00", "EUR"), row("e2", "12000.00", "JPY")),
        rates("EUR", "1.0825", "JPY", "0.006678"));
    Dataset<Row> roundedHalfUp = TestData.table(spark, NORMALIZED)
        .row("e1", "10.00", "EUR", "1.0825", "10.83")
        .row("e2", "12000.00", "JPY", "0.006678", "80.14")
        .build();

    AssertionFailedError e = assertThrows(AssertionFailedError.class,
        () -> assertDatasetEquals(roundedHalfUp, out.get("payments")));

    assertEquals("""
        Datasets differ (row order ignored): 1 expected row missing, 1 unexpected row; 1 row matched \
        (expected 2 rows, actual 2)
        missing: expected but not found (1)
          event_id | amount | currency | rate_to_usd | amount_usd
          e1       | 10.00  | EUR      | 1.08250000  | 10.83
        unexpected: found but not expected (1)
          event_id | amount | currency | rate_to_usd | amount_usd
          e1       | 10.00  | EUR      | 1.08250000  | 10.82""", e.getMessage());
  }

  @Test
  void roundsHalfEvenForEitherSign() {
    StepOutputs out = normalize(
        payments(row("e1", "10.25", "HALF"), row("e2", "10.35", "HALF"), row("e3", "-10.25", "HALF"),
            row("e4", "99.99", "USD")),
        rates("HALF", "0.5", "USD", "1", "CHF", "1.1302"));

    // 5.125 -> 5.12 and 5.175 -> 5.18: to the even cent, where HALF_UP would give 5.13.
    assertDatasetEquals(TestData.table(spark, NORMALIZED)
            .row("e1", "10.25", "HALF", "0.5", "5.12")
            .row("e2", "10.35", "HALF", "0.5", "5.18")
            .row("e3", "-10.25", "HALF", "0.5", "-5.12")
            .row("e4", "99.99", "USD", "1", "99.99")
            .build(),
        out.get("payments"));
    assertDatasetEquals(TestData.table(spark, UNCONVERTIBLE).build(), out.get("unconvertible"));
  }

  @Test
  void setsAsidePaymentsThatCannotBeConvertedWithTheReason() {
    StepOutputs out = normalize(
        payments(row("e1", "10.00", "BRL"), row("e2", "10.00", "XXX"), row("e3", "10.00", "NUL"),
            row("e4", "10.00", "ZER"), row("e5", "999999999999.99", "BIG"), row("e6", "10.00", "EUR"),
            row("e7", null, "EUR"), row("e8", "10.00", null)),
        TestData.table(spark, RATES)
            .row("XXX", "1").row("XXX", "1.1").row("NUL", null).row("ZER", "0").row("BIG", "1000000")
            .row("EUR", "1.08")
            .build());

    assertDatasetEquals(TestData.table(spark, UNCONVERTIBLE)
            .row("e1", "10.00", "BRL", "no fx rate for BRL")
            .row("e2", "10.00", "XXX", "conflicting fx rates for XXX")
            .row("e3", "10.00", "NUL", "no fx rate for NUL")
            .row("e4", "10.00", "ZER", "fx rate is not positive for ZER")
            .row("e5", "999999999999.99", "BIG", "amount in USD out of range")
            .row("e7", null, "EUR", "no amount")
            .row("e8", "10.00", null, "no currency")
            .build(),
        out.get("unconvertible"));
    assertDatasetEquals(TestData.table(spark, NORMALIZED).row("e6", "10.00", "EUR", "1.08", "10.80").build(),
        out.get("payments"));
  }

  @Test
  void aRateListedTwiceAlikeConvertsEachPaymentOnce() {
    StepOutputs out = normalize(payments(row("e1", "10.00", "EUR")), rates("EUR", "1.08", " eur ", "1.08"));

    assertDatasetEquals(TestData.table(spark, NORMALIZED).row("e1", "10.00", "EUR", "1.08", "10.80").build(),
        out.get("payments"));
  }

  @Test
  void emptyInputsGiveEmptyOutputs() {
    StepOutputs out = normalize(payments(), rates());

    assertDatasetEquals(TestData.table(spark, NORMALIZED).build(), out.get("payments"));
    assertDatasetEquals(TestData.table(spark, UNCONVERTIBLE).build(), out.get("unconvertible"));
  }
}
