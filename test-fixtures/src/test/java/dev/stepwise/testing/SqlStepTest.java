package dev.stepwise.testing;

import static dev.stepwise.testing.DatasetAssertions.assertDatasetEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.core.step.SqlStep;
import dev.stepwise.core.step.StepInputs;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;

/** The built-in sql step in a real SparkSession: what it computes and what it leaves behind. */
@SparkTest
class SqlStepTest {
  private final SparkSession spark;

  SqlStepTest(SparkSession spark) {
    this.spark = spark;
  }

  private Dataset<Row> charges() {
    return TestData.table(spark, "id STRING, region STRING, amount DECIMAL(18,2)")
        .row("c1", "eu", new BigDecimal("10.00")).row("c2", "us", new BigDecimal("250.00"))
        .row("c3", "eu", new BigDecimal("999.99")).build();
  }

  private Dataset<Row> refunds() {
    return TestData.table(spark, "id STRING, region STRING, amount DECIMAL(18,2)")
        .row("r1", "eu", new BigDecimal("5.00")).build();
  }

  @Test
  void unionsItsInputs() {
    SqlStep step = new SqlStep("SELECT id, amount FROM charges UNION ALL SELECT id, -amount FROM refunds", Map.of(),
        List.of("charges", "refunds"));

    Dataset<Row> result = step.apply(StepInputs.of("charges", charges(), "refunds", refunds())).get("result");

    assertDatasetEquals(TestData.table(spark, "id STRING, amount DECIMAL(18,2)")
        .row("c1", new BigDecimal("10.00")).row("c2", new BigDecimal("250.00")).row("c3", new BigDecimal("999.99"))
        .row("r1", new BigDecimal("-5.00")).build(), result);
    assertNoViewsLeft();
  }

  @Test
  void filtersWithTypedParams() {
    SqlStep step = new SqlStep("SELECT id FROM charges WHERE region = :region AND amount >= :min", Map.of(
        "region", "eu", "min", new BigDecimal("100")), List.of("charges"));

    Dataset<Row> result = step.apply(StepInputs.of("charges", charges())).get("result");

    assertDatasetEquals(TestData.table(spark, "id STRING").row("c3").build(), result);
  }

  @Test
  void aParamValueIsALiteralNeverSql() {
    // Each value would widen the filter or run a statement if it were spliced into the query text.
    for (String attack : List.of("eu' OR '1'='1", "eu'; DROP VIEW charges; --", "x\" OR 1=1 --", "') OR ('a'='a",
        "eu' UNION SELECT id FROM refunds --")) {
      SqlStep step = new SqlStep("SELECT id FROM charges WHERE region = :region", Map.of("region", attack),
          List.of("charges"));

      Dataset<Row> result = step.apply(StepInputs.of("charges", charges(), "refunds", refunds())).get("result");

      assertEquals(0, result.count(), attack);
    }
    assertNoViewsLeft();
  }

  @Test
  void everyGeneratedParamValueComesBackAsTheSameString() {
    // Strings made of SQL's quoting and comment characters: each must arrive as a value, unchanged.
    String alphabet = "'\"`;-/*\\ ()=ORDUNIONSELECT1xé\n\t$?:";
    java.util.Random random = new java.util.Random(13);
    Map<String, Object> args = new java.util.LinkedHashMap<>();
    StringBuilder query = new StringBuilder("SELECT ");
    for (int i = 0; i < 60; i++) {
      StringBuilder value = new StringBuilder();
      for (int c = random.nextInt(20); c > 0; c--) {
        value.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      args.put("v" + i, value.toString());
      query.append(i == 0 ? "" : ", ").append(":v").append(i).append(" AS v").append(i);
    }
    query.append(" FROM charges WHERE id = 'c1'");

    Row row = new SqlStep(query.toString(), args, List.of("charges"))
        .apply(StepInputs.of("charges", charges())).get("result").first();

    for (int i = 0; i < 60; i++) {
      assertEquals(args.get("v" + i), row.getString(i), "value " + i);
    }
  }

  @Test
  void aQueryThatDoesNotParseOrReadsAnUnknownTableIsRefusedBeforeSpark() {
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> new SqlStep("SELEC id FROM charges", Map.of(), List.of("charges")));
    assertTrue(bad.getMessage().startsWith("the query does not parse: "), bad.getMessage());
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> new SqlStep("SELECT * FROM chargez", Map.of(), List.of("charges")));
    assertTrue(unknown.getMessage().startsWith("the query reads 'chargez', which is not one of the step's inputs"
        + " [charges]"), unknown.getMessage());
  }

  @Test
  void anUnknownColumnFailsWhenTheStepIsAppliedAndLeavesNoView() {
    SqlStep step = new SqlStep("SELECT amount_usd FROM charges", Map.of(), List.of("charges"));

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> step.apply(StepInputs.of("charges", charges())));

    assertTrue(e.getMessage().startsWith("its query does not fit its inputs: "), e.getMessage());
    assertTrue(e.getMessage().contains("amount_usd"), e.getMessage());
    assertNoViewsLeft();
  }

  @Test
  void aPersistedInputStaysCachedAndTheResultOutlivesItsViews() {
    Dataset<Row> cached = charges().persist(StorageLevel.MEMORY_ONLY());
    try {
      cached.count();
      Dataset<Row> result = new SqlStep("SELECT count(*) AS n FROM charges", Map.of(), List.of("charges"))
          .apply(StepInputs.of("charges", cached)).get("result");

      assertNoViewsLeft();
      assertEquals(3L, result.first().getLong(0), "the analyzed result needs no view");
      assertEquals(StorageLevel.MEMORY_ONLY(), cached.storageLevel(), "still cached");
    } finally {
      cached.unpersist();
    }
  }

  @Test
  void refusesToReplaceAViewTheSessionAlreadyHas() {
    charges().createOrReplaceTempView("charges");
    try {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> new SqlStep("SELECT * FROM charges", Map.of(), List.of("charges"))
              .apply(StepInputs.of("charges", refunds())));
      assertTrue(e.getMessage().startsWith("the session already has temporary views named [charges]"),
          e.getMessage());
      assertEquals(3, spark.table("charges").count(), "the session's own view is untouched");
    } finally {
      spark.catalog().dropTempView("charges");
    }
  }

  @Test
  void isPartitionInvariant() {
    StepDeterminism.assertPartitionInvariant(new SqlStep(
        "SELECT region, sum(amount) AS total, count(*) AS n FROM charges GROUP BY region", Map.of(),
        List.of("charges")), StepInputs.of("charges", charges()));
  }

  private void assertNoViewsLeft() {
    assertFalse(spark.catalog().listTables().collectAsList().stream().anyMatch(t -> t.isTemporary()),
        "no temporary view outlives a sql step");
  }
}
