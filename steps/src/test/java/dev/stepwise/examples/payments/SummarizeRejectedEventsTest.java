package dev.stepwise.examples.payments;

import static dev.stepwise.examples.payments.Frames.rows;
import static dev.stepwise.examples.payments.Frames.sorted;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stepwise.core.step.StepInputs;
import dev.stepwise.testing.SparkTest;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

@SparkTest
class SummarizeRejectedEventsTest {
  static final String MALFORMED = "value STRING, reason STRING";
  static final String UNCONVERTIBLE = "event_id STRING, currency STRING, reason STRING";

  private final SparkSession spark;

  SummarizeRejectedEventsTest(SparkSession spark) {
    this.spark = spark;
  }

  private Dataset<Row> summarize(String[] malformed, String... unconvertible) {
    return new SummarizeRejectedEvents().apply(StepInputs.of(
            "malformed", Frames.table(spark, MALFORMED, malformed),
            "unconvertible", Frames.table(spark, UNCONVERTIBLE, unconvertible)))
        .get("summary");
  }

  @Test
  void countsRejectionsBySourceAndReason() {
    Dataset<Row> summary = summarize(
        new String[] {"{|not a JSON object", "[]|not a JSON object", "{}|missing event_id"},
        "e1|BRL|no fx rate for BRL", "e2|BRL|no fx rate for BRL", "e3|XXX|no fx rate for XXX");

    assertEquals(List.of("source:string", "reason:string", "events:bigint"), Frames.columns(summary));
    assertEquals(sorted(
        "malformed|not a JSON object|2",
        "malformed|missing event_id|1",
        "unconvertible|no fx rate for BRL|2",
        "unconvertible|no fx rate for XXX|1"),
        rows(summary));
  }

  @Test
  void oneEmptySideStillCountsTheOther() {
    assertEquals(List.of("unconvertible|no fx rate for BRL|1"),
        rows(summarize(new String[0], "e1|BRL|no fx rate for BRL")));
    assertEquals(List.of(), rows(summarize(new String[0])));
  }
}
