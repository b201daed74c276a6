package dev.stepwise.examples.payments;

import static dev.stepwise.examples.payments.Frames.rows;
import static dev.stepwise.examples.payments.Frames.sorted;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stepwise.core.step.StepInputs;
import dev.stepwise.testing.SparkTest;
import java.math.BigDecimal;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

@SparkTest
class ClassifyPaymentsTest {
  static final String PAYMENTS = "event_id STRING, event_type STRING, amount DECIMAL(18,2), amount_usd DECIMAL(18,2)";

  private static final String[] CASES = {
      "charge|charge|100.00|108.00",
      "negative_charge|charge|-40.00|-43.20",
      "refund|refund|40.00|43.20",
      "negative_refund|refund|-40.00|-43.20",
      "payout|payout|70.00|75.60",
      "negative_payout|payout|-70.00|-75.60",
      "zero_charge|charge|0.00|0.00"};

  private final SparkSession spark;

  ClassifyPaymentsTest(SparkSession spark) {
    this.spark = spark;
  }

  @Test
  void decidesKindFromTypeAndSignAndKeepsMagnitudes() {
    Dataset<Row> classified = new ClassifyPayments()
        .apply(StepInputs.of("payments", Frames.table(spark, PAYMENTS, CASES))).get("payments");

    assertEquals(List.of("event_id:string", "event_type:string", "amount:decimal(18,2)", "amount_usd:decimal(18,2)",
        "kind:string", "gross_amount:decimal(18,2)", "gross_usd:decimal(18,2)", "sign_corrected:boolean"),
        Frames.columns(classified));
    assertEquals(sorted(
        "charge|CHARGE|100.00|108.00|false",
        "negative_charge|REFUND|40.00|43.20|true",
        "refund|REFUND|40.00|43.20|false",
        "negative_refund|REFUND|40.00|43.20|true",
        "payout|PAYOUT|70.00|75.60|false",
        "negative_payout|PAYOUT|70.00|75.60|true",
        "zero_charge|CHARGE|0.00|0.00|false"),
        rows(classified, "event_id", "kind", "gross_amount", "gross_usd", "sign_corrected"));
  }

  @Test
  void agreesWithThePlainRule() {
    Dataset<Row> classified = new ClassifyPayments()
        .apply(StepInputs.of("payments", Frames.table(spark, PAYMENTS, CASES))).get("payments");

    for (String line : CASES) {
      String[] cells = line.split("\\|");
      PaymentKind expected = PaymentKind.of(cells[1], new BigDecimal(cells[2]));
      assertEquals(List.of(expected.name()), rows(classified.where("event_id = '" + cells[0] + "'"), "kind"), line);
    }
  }

  @Test
  void emptyInputGivesNoPayments() {
    assertEquals(List.of(), rows(new ClassifyPayments()
        .apply(StepInputs.of("payments", Frames.table(spark, PAYMENTS))).get("payments")));
  }
}
