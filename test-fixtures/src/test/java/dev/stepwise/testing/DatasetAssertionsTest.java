package dev.stepwise.testing;

import static dev.stepwise.testing.DatasetAssertions.assertDatasetEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

@SparkTest
class DatasetAssertionsTest {
  private static final String PAYMENTS = "event_id STRING, amount DECIMAL(18,2), currency STRING";

  private final SparkSession spark;

  DatasetAssertionsTest(SparkSession spark) {
    this.spark = spark;
  }

  private Dataset<Row> payments(Object[]... rows) {
    TestData.TableBuilder table = TestData.table(spark, PAYMENTS);
    for (Object[] row : rows) {
      table.row(row);
    }
    return table.build();
  }

  private static Object[] row(Object... values) {
    return values;
  }

  @Test
  void sameRowsInAnotherOrderAreEqual() {
    assertDatasetEquals(
        payments(row("e1", "10.00", "EUR"), row("e2", "5.00", "USD"), row("e2", "5.00", "USD")),
        payments(row("e2", "5.00", "USD"), row("e1", "10.00", "EUR"), row("e2", "5.00", "USD")).repartition(2));
  }

  @Test
  void aWrongExpectedDatasetFailsWithMissingAndUnexpectedRowsUnderTheirColumns() {
    Dataset<Row> expected = payments(row("e1", "99.00", "EUR"), row("e2", "5.00", "USD"), row("e3", null, " usd"));
    Dataset<Row> actual = payments(row("e1", "10.00", "EUR"), row("e2", "5.00", "USD"), row("e3", null, " usd"));

    AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> assertDatasetEquals(expected, actual));

    assertEquals("""
        Datasets differ (row order ignored): 1 expected row missing, 1 unexpected row; 2 rows matched \
        (expected 3 rows, actual 3)
        missing: expected but not found (1)
          event_id | amount | currency
          e1       | 99.00  | EUR
        unexpected: found but not expected (1)
          event_id | amount | currency
          e1       | 10.00  | EUR""", e.getMessage());
    // What an IDE shows side by side: both tables, sorted.
    assertEquals("""
        event_id | amount | currency
        e1       | 99.00  | EUR
        e2       | 5.00   | USD
        e3       | null   | " usd"
        """, e.getExpected().getStringRepresentation());
  }

  @Test
  void aDuplicateRowCountsAsADifference() {
    AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> assertDatasetEquals(
        payments(row("e1", "1.00", "EUR")), payments(row("e1", "1.00", "EUR"), row("e1", "1.00", "EUR"))));

    assertEquals("""
        Datasets differ (row order ignored): 0 expected rows missing, 1 unexpected row; 1 row matched \
        (expected 1 row, actual 2)
        unexpected: found but not expected (1)
          event_id | amount | currency
          e1       | 1.00   | EUR""", e.getMessage());
  }

  @Test
  void schemasAreComparedFirstAndEveryDifferenceIsNamed() {
    Dataset<Row> expected = payments(row("e1", "1.00", "EUR"));
    Dataset<Row> actual = TestData.table(spark, "event_id STRING NOT NULL, amount DECIMAL(28,2), fx DOUBLE")
        .row("e1", "1.00", 1.0).build();

    AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> assertDatasetEquals(expected, actual));

    assertEquals("""
        Dataset schemas differ (rows not compared):
          - column 'event_id': expected nullable, actual NOT NULL (write NOT NULL in the expected schema, \
        or compare ignoringNullability())
          - column 'amount': expected type decimal(18,2), actual decimal(28,2)
          - missing column 'currency' string
          - unexpected column 'fx' double
        expected schema: event_id STRING,amount DECIMAL(18,2),currency STRING
        actual schema:   event_id STRING NOT NULL,amount DECIMAL(28,2),fx DOUBLE""", e.getMessage());
  }

  @Test
  void nullabilityAndColumnOrderCanBeIgnoredOnRequest() {
    Dataset<Row> expected = TestData.table(spark, "n BIGINT, word STRING").row(2L, "fox").build();
    Dataset<Row> actual = spark.range(2, 3).selectExpr("'fox' AS word", "id AS n");

    AssertionFailedError strict = assertThrows(AssertionFailedError.class, () -> assertDatasetEquals(expected, actual,
        DatasetComparison.DEFAULT.ignoringNullability()));
    assertEquals("""
        Dataset schemas differ (rows not compared):
          - column order: expected [n, word], actual [word, n] (compare ignoringColumnOrder() if order does not matter)
        expected schema: n BIGINT,word STRING
        actual schema:   word STRING NOT NULL,n BIGINT NOT NULL""", strict.getMessage());
    assertDatasetEquals(expected, actual, DatasetComparison.DEFAULT.ignoringNullability().ignoringColumnOrder());
  }

  @Test
  void orderedComparisonShowsTheRowsThatDifferByPosition() {
    Dataset<Row> expected = payments(row("e1", "1.00", "EUR"), row("e2", "2.00", "EUR"), row("e3", "3.00", "EUR"));
    Dataset<Row> actual = payments(row("e1", "1.00", "EUR"), row("e3", "3.00", "EUR"), row("e2", "2.00", "EUR"),
        row("e4", "4.00", "EUR"));
    DatasetComparison ordered = DatasetComparison.DEFAULT.ordered();

    AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> assertDatasetEquals(expected, actual,
        ordered));

    assertEquals("""
        Datasets differ (in order): 3 rows differ (expected 3 rows, actual 4); rows numbered from 0
                         | event_id | amount | currency
          row 1 expected | e2       | 2.00   | EUR
                actual   | e3       | 3.00   | EUR
          row 2 expected | e3       | 3.00   | EUR
                actual   | e2       | 2.00   | EUR
          row 3 actual   | e4       | 4.00   | EUR""", e.getMessage());
    assertDatasetEquals(expected.orderBy("event_id"), actual.limit(3).orderBy("event_id"), ordered);
  }

  @Test
  void doublesMatchWithinTheToleranceAskedFor() {
    Dataset<Row> expected = TestData.table(spark, "k STRING, x DOUBLE, xs ARRAY<DOUBLE>")
        .row("a", 0.3, List.of(1.0, 0.3)).row("b", Double.NaN, List.of()).build();
    Dataset<Row> actual = TestData.table(spark, "k STRING, x DOUBLE, xs ARRAY<DOUBLE>")
        .row("a", 0.1 + 0.2, List.of(1.0, 0.1 + 0.2)).row("b", Double.NaN, List.of()).build();

    AssertionFailedError exact = assertThrows(AssertionFailedError.class, () -> assertDatasetEquals(expected, actual));
    assertEquals("""
        Datasets differ (row order ignored): 1 expected row missing, 1 unexpected row; 1 row matched \
        (expected 2 rows, actual 2)
        missing: expected but not found (1)
          k | x   | xs
          a | 0.3 | [1.0, 0.3]
        unexpected: found but not expected (1)
          k | x                   | xs
          a | 0.30000000000000004 | [1.0, 0.30000000000000004]""", exact.getMessage());
    assertDatasetEquals(expected, actual, DatasetComparison.DEFAULT.withDoubleTolerance(1e-12));
    assertThrows(AssertionFailedError.class, () -> assertDatasetEquals(expected,
        actual.selectExpr("k", "x + 0.001 AS x", "xs"), DatasetComparison.DEFAULT.withDoubleTolerance(1e-6)));
  }

  @Test
  void longDiffsAreCappedAndNestedValuesReadable() {
    TestData.TableBuilder many = TestData.table(spark, "id INT, tags MAP<STRING, INT>, at TIMESTAMP");
    for (int i = 0; i < 30; i++) {
      many.row(i, Map.of("k", i), "2026-11-21T10:00:00Z");
    }
    Dataset<Row> empty = TestData.table(spark, "id INT, tags MAP<STRING, INT>, at TIMESTAMP").build();

    AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> assertDatasetEquals(empty, many.build(),
        DatasetComparison.DEFAULT.showingAtMost(2)));

    assertEquals("""
        Datasets differ (row order ignored): 0 expected rows missing, 30 unexpected rows; 0 rows matched \
        (expected 0 rows, actual 30)
        unexpected: found but not expected (30)
          id | tags     | at
          0  | {k -> 0} | 2026-11-21T10:00:00Z
          1  | {k -> 1} | 2026-11-21T10:00:00Z
          ... and 28 more""", e.getMessage());
  }
}
