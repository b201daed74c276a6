package dev.stepwise.testing;

import static dev.stepwise.testing.DatasetAssertions.assertDatasetEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

@SparkTest
class TestDataTest {
  private final SparkSession spark;

  TestDataTest(SparkSession spark) {
    this.spark = spark;
  }

  @Test
  void javaValuesAndTheirTextGiveTheSameRows() {
    String ddl = "id INT, amount DECIMAL(18,2), at TIMESTAMP, day DATE, ok BOOLEAN, tags ARRAY<STRING>, "
        + "point STRUCT<x: BIGINT, y: DOUBLE>, attrs MAP<STRING, INT>";
    Dataset<Row> typed = TestData.table(spark, ddl)
        .row(1, new BigDecimal("12.50"), Instant.parse("2026-11-21T10:00:00Z"), LocalDate.of(2026, 11, 21), true,
            List.of("a", "b"), List.of(3L, 0.5), Map.of("k", 1))
        .build();
    Dataset<Row> fromText = TestData.table(spark, ddl)
        .row("1", "12.5", "2026-11-21 10:00:00", "2026-11-21", "true", List.of("a", "b"), List.of(3, "0.5"),
            Map.of("k", 1L))
        .build();

    assertDatasetEquals(typed, fromText);
    assertEquals("[1,12.50,2026-11-21 10:00:00.0,2026-11-21,true,ArraySeq(a, b),[3,0.5],Map(k -> 1)]",
        typed.collectAsList().get(0).toString());
  }

  @Test
  void aValueThatDoesNotFitItsColumnIsRejectedWithItsPlace() {
    TestData.TableBuilder table = TestData.table(spark, "id STRING NOT NULL, amount DECIMAL(18,2), n INT");

    assertEquals("row 1, column 'amount' (decimal(18,2)): cannot use 1.005 (String): more decimal places than "
        + "decimal(18,2) keeps",
        assertThrows(IllegalArgumentException.class, () -> table.row("e1", "1.005", 1)).getMessage());
    assertEquals("row 1, column 'id' is NOT NULL in the schema but the value is null",
        assertThrows(IllegalArgumentException.class, () -> table.row(null, "1.00", 1)).getMessage());
    assertEquals("row 1, column 'n' (int): cannot use 3000000000 (Long): BigInteger out of int range",
        assertThrows(IllegalArgumentException.class, () -> table.row("e1", "1.00", 3_000_000_000L)).getMessage());
    assertEquals("row 1 has 2 values but the schema has 3 columns: id, amount, n",
        assertThrows(IllegalArgumentException.class, () -> table.row("e1", "1.00")).getMessage());
    assertEquals(0, table.build().count(), "a rejected row is not added");
  }

  @Test
  void linesBecomeTheValueColumnOfTheTextFormat() {
    assertDatasetEquals(TestData.table(spark, "value STRING NOT NULL").row("{}").row("").build(),
        TestData.lines(spark, "{}", ""));
  }

  @Test
  void jsonFixturesReadAsLinesOrAsAnArray() {
    String ddl = "event_id STRING, amount DECIMAL(18,2), occurred_at TIMESTAMP";
    Dataset<Row> expected = TestData.table(spark, ddl)
        .row("e1", "12.50", "2026-11-21T10:00:00Z")
        .row("e2", null, "2026-11-21T11:30:00Z")
        .build();

    assertDatasetEquals(expected, TestData.json(spark, "fixtures/events.jsonl", ddl));
    assertDatasetEquals(expected, TestData.json(spark, "fixtures/events-array.json", ddl));
  }

  @Test
  void csvFixturesMustNameTheirColumnsInSchemaOrder() {
    String ddl = "currency STRING, rate_to_usd DECIMAL(18,8)";

    assertDatasetEquals(TestData.table(spark, ddl).row("EUR", "1.0825").row("JPY", "0.006678").build(),
        TestData.csv(spark, "fixtures/rates.csv", ddl));
    Exception e = assertThrows(Exception.class,
        () -> TestData.csv(spark, "fixtures/rates-misordered.csv", ddl).collectAsList());
    Throwable cause = e;
    while (cause.getCause() != null && !String.valueOf(cause.getMessage()).contains("CSV header")) {
      cause = cause.getCause();
    }
    assertTrue(String.valueOf(cause.getMessage()).contains("CSV header does not conform to the schema"), e.toString());
  }

  @Test
  void aMissingFixtureSaysWhereToPutIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TestData.json(spark, "fixtures/nope.jsonl", "a STRING"));
    assertEquals("no test resource 'fixtures/nope.jsonl' on the class path; put the file at "
        + "src/test/resources/fixtures/nope.jsonl", e.getMessage());
  }
}
