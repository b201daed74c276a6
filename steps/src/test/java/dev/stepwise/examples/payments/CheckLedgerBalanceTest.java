package dev.stepwise.examples.payments;

import static dev.stepwise.examples.payments.Frames.rows;
import static dev.stepwise.examples.payments.Frames.sorted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.core.step.StepInputs;
import dev.stepwise.testing.SparkTest;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

@SparkTest
class CheckLedgerBalanceTest {
  static final String ENTRIES = "event_id STRING, side STRING, amount_usd DECIMAL(18,2), entry_date DATE";

  private final SparkSession spark;

  CheckLedgerBalanceTest(SparkSession spark) {
    this.spark = spark;
  }

  private Dataset<Row> report(String... entries) {
    return new CheckLedgerBalance().apply(StepInputs.of("entries", Frames.table(spark, ENTRIES, entries))).get("report");
  }

  @Test
  void reportsEachBalancedDay() {
    Dataset<Row> report = report(
        "c1|DEBIT|100.00|2026-11-21", "c1|CREDIT|85.00|2026-11-21", "c1|CREDIT|15.00|2026-11-21",
        "p1|DEBIT|70.00|2026-11-21", "p1|CREDIT|70.00|2026-11-21",
        "old|DEBIT|1.00|2026-11-20", "old|CREDIT|1.00|2026-11-20");

    assertEquals(List.of("entry_date:date", "events:bigint", "entries:bigint", "total_debits:decimal(28,2)",
        "total_credits:decimal(28,2)", "difference:decimal(28,2)", "unbalanced_events:bigint", "status:string"),
        Frames.columns(report));
    assertEquals(sorted(
        "2026-11-21|2|5|170.00|170.00|0.00|0|BALANCED",
        "2026-11-20|1|2|1.00|1.00|0.00|0|BALANCED"),
        rows(report));
  }

  @Test
  void failsOnADayWhoseDebitsAndCreditsDiffer() {
    Dataset<Row> report = report(
        "c1|DEBIT|100.00|2026-11-21", "c1|CREDIT|99.00|2026-11-21",
        "ok|DEBIT|1.00|2026-11-20", "ok|CREDIT|1.00|2026-11-20");

    Exception e = assertThrows(Exception.class, report::collectAsList);
    assertTrue(e.getMessage().contains("ledger does not balance on 2026-11-21: debits 100.00, credits 99.00, "
        + "difference 1.00, unbalanced events 1"), e.getMessage());
  }

  @Test
  void failsOnUnbalancedEventsEvenWhenTheDayAddsUp() {
    Dataset<Row> report = report(
        "a|DEBIT|10.00|2026-11-21", "a|CREDIT|9.00|2026-11-21",
        "b|DEBIT|9.00|2026-11-21", "b|CREDIT|10.00|2026-11-21");

    Exception e = assertThrows(Exception.class, report::collectAsList);
    assertTrue(e.getMessage().contains("ledger does not balance on 2026-11-21: debits 19.00, credits 19.00, "
        + "difference 0.00, unbalanced events 2"), e.getMessage());
  }

  @Test
  void failsEvenForAnActionThatReadsNoColumn() {
    Dataset<Row> report = report("c1|DEBIT|100.00|2026-11-21");

    Exception e = assertThrows(Exception.class, report::count);
    assertTrue(e.getMessage().contains("ledger does not balance on 2026-11-21"), e.getMessage());
  }

  @Test
  void anEmptyLedgerHasAnEmptyReport() {
    assertEquals(List.of(), rows(report()));
  }
}
