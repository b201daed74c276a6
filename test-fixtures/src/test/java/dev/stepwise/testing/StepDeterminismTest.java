package dev.stepwise.testing;

import static org.apache.spark.sql.functions.bround;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.core.step.Step;
import dev.stepwise.core.step.StepInputs;
import dev.stepwise.core.step.StepOutputs;
import java.math.BigDecimal;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

/** The partition-invariance check finds each kind of order-dependent step and passes the fixed ones. */
@SparkTest
class StepDeterminismTest {
  private final SparkSession spark;

  StepDeterminismTest(SparkSession spark) {
    this.spark = spark;
  }

  /** Keys with many rows each; amounts whose double sums depend on the order they are added in. */
  private Dataset<Row> payments(long seed) {
    Random random = new Random(seed);
    TestData.TableBuilder table = TestData.table(spark, "key STRING, seq INT, amount DOUBLE, exact DECIMAL(20,6)");
    for (int i = 0; i < 300; i++) {
      double amount = Math.round((random.nextDouble() * Math.pow(10, random.nextInt(9))) * 1e6) / 1e6;
      table.row("k" + (i % 4), i, amount, new BigDecimal(Double.toString(amount)));
    }
    return table.build();
  }

  private static Step step(java.util.function.Function<Dataset<Row>, Dataset<Row>> logic) {
    return inputs -> StepOutputs.of("out", logic.apply(inputs.get("in")));
  }

  private void assertCaught(Step step, long seed) {
    AssertionError e = assertThrows(AssertionError.class,
        () -> StepDeterminism.assertPartitionInvariant(step, StepInputs.of("in", payments(seed))));
    assertTrue(e.getMessage().contains("is not partition-invariant: output 'out' differs between"), e.getMessage());
    assertTrue(e.getMessage().contains("rows only in trial 1 ("), e.getMessage());
  }

  @Test
  void findsDropDuplicatesWithoutAnOrdering() {
    for (long seed = 1; seed <= 3; seed++) {
      assertCaught(step(in -> in.dropDuplicates("key")), seed);
    }
  }

  @Test
  void findsFirstWithoutAnOrdering() {
    for (long seed = 1; seed <= 3; seed++) {
      assertCaught(step(in -> in.groupBy("key").agg(first("seq").as("some_seq"))), seed);
    }
  }

  @Test
  void findsADoubleSumThatIsRoundedAfterwards() {
    for (long seed = 1; seed <= 3; seed++) {
      assertCaught(step(in -> in.groupBy("key").agg(sum("amount").as("total"))), seed);
    }
  }

  @Test
  void passesTheSameLogicMadeDeterministic() {
    for (long seed = 1; seed <= 3; seed++) {
      StepInputs inputs = StepInputs.of("in", payments(seed));
      // Decimal sums are exact in any order; an ordering picks one row per key whatever the partitioning.
      StepDeterminism.assertPartitionInvariant(step(in -> in.groupBy("key")
          .agg(bround(sum("exact"), 2).as("total"))), inputs);
      StepDeterminism.assertPartitionInvariant(step(in -> in.groupBy("key")
          .agg(org.apache.spark.sql.functions.min_by(col("seq"), col("seq")).as("first_seq"))), inputs);
      StepDeterminism.assertPartitionInvariant(step(in -> in.withColumn("cents",
          col("exact").multiply(100).cast(DataTypes.LongType))), inputs);
    }
  }

  @Test
  void restoresTheSessionsSettings() {
    String before = spark.conf().get("spark.sql.shuffle.partitions");
    StepDeterminism.withSeed(9).trials(3).check(step(in -> in.select("key")), StepInputs.of("in", payments(1)));
    assertEquals(before, spark.conf().get("spark.sql.shuffle.partitions"));
    assertEquals("false", spark.conf().get("spark.sql.adaptive.enabled"));
  }
}
