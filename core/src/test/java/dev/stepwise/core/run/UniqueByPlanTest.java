package dev.stepwise.core.run;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.core.model.Expectation;
import dev.stepwise.core.quality.CheckedDataset;
import dev.stepwise.core.quality.ExpectationResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code unique} rule that Spark's plan proves holds without a check gives the verdict the check
 * gives: generated chains of one to three operations (group by, deduplicate, distinct, filter, a
 * left or inner join to a side unique on its key or not, a union, an explode, a limit, a derived
 * column) over keys with nulls and repeats, and a rule on one or two of the resulting columns. Each
 * chain is built twice, once with Spark's distinct-key propagation on (the proof may apply) and once
 * off (every rule checked by the window); the broken-row counts must be equal, and a rule the plan
 * proves must have no repeated key in the data.
 *
 * <p>Rerun one failing case with {@code -Dstepwise.planSeed=<seed>}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UniqueByPlanTest {
  private static final long SEED = Long.getLong("stepwise.planSeed", 20_261_208L);
  private static final int CASES = 40;
  private static final String PROPAGATE = "spark.sql.optimizer.propagateDistinctKeys.enabled";
  private static final StructType BASE = new StructType()
      .add("k0", DataTypes.IntegerType).add("k1", DataTypes.StringType).add("v", DataTypes.IntegerType);
  private static final StructType SIDE = new StructType().add("sk", DataTypes.IntegerType).add("s", DataTypes.StringType);

  private SparkSession spark;

  @BeforeAll
  void start(@TempDir Path scratch) {
    spark = TinyPipeline.session(scratch);
    spark.sparkContext().setLogLevel("OFF");
  }

  @AfterAll
  void stop() {
    spark.conf().unset(PROPAGATE);
    spark.stop();
  }

  @Test
  void aRuleThePlanProvesGivesTheVerdictOfTheCheck() {
    Random seeds = new Random(SEED);
    int proven = 0;
    int brokenSomewhere = 0;
    for (int c = 0; c < CASES; c++) {
      long seed = seeds.nextLong();
      spark.conf().set(PROPAGATE, "true");
      Outcome withProof = outcome(seed);
      spark.conf().set(PROPAGATE, "false");
      Outcome checked = outcome(seed);
      String about = "seed " + seed + ": " + withProof.chain();

      assertTrue(checked.heldByPlan().isEmpty(), about + ": without distinct keys nothing is proven");
      assertEquals(checked.broken(), withProof.broken(), about + ": rows breaking the rule");
      assertEquals(checked.rows(), withProof.rows(), about + ": rows of the data");
      if (!withProof.heldByPlan().isEmpty()) {
        proven++;
        assertEquals(0, withProof.repeatedKeys(), about + ": a proven rule has no repeated key in the data");
      }
      brokenSomewhere += checked.broken() > 0 ? 1 : 0;
    }
    assertTrue(proven >= CASES / 6 && brokenSomewhere >= CASES / 6,
        "the cases cover proven rules and broken ones: " + proven + " proven, " + brokenSomewhere + " broken");
  }

  private record Outcome(String chain, List<String> heldByPlan, long broken, long rows, long repeatedKeys) {}

  /** The chain and rule drawn from {@code seed}, built anew, checked and computed. */
  private Outcome outcome(long seed) {
    Random random = new Random(seed);
    Dataset<Row> data = spark.createDataFrame(rows(random, 1 + random.nextInt(30)), BASE);
    StringBuilder chain = new StringBuilder("base");
    int operations = 1 + random.nextInt(3);
    for (int o = 0; o < operations; o++) {
      List<String> columns = List.of(data.columns());
      // Pipelines often make a key unique first: the first operation does that more often than not.
      switch (o == 0 && random.nextInt(5) < 3 ? random.nextInt(3) : random.nextInt(10)) {
        case 0 -> {
          List<String> keys = someOf(random, columns.stream().filter(k -> !k.equals("v")).toList());
          Column[] rest = columns.stream().filter(k -> !keys.contains(k) && !k.equals("v"))
              .map(k -> max(col(k)).as(k)).toArray(Column[]::new);
          data = data.groupBy(keys.stream().map(k -> col(k)).toArray(Column[]::new))
              .agg(max(col("v")).as("v"), rest);
          chain.append(" > group by ").append(keys);
        }
        case 1 -> {
          List<String> keys = someOf(random, columns);
          data = data.dropDuplicates(keys.toArray(String[]::new));
          chain.append(" > drop duplicates ").append(keys);
        }
        case 2 -> {
          data = data.distinct();
          chain.append(" > distinct");
        }
        case 3 -> {
          data = data.filter(col("v").isNull().or(col("v").mod(2).equalTo(0)));
          chain.append(" > filter");
        }
        case 4, 5 -> {
          if (!columns.contains("k0") || columns.contains("sk")) {
            continue;
          }
          boolean uniqueSide = random.nextBoolean();
          String how = random.nextBoolean() ? "left" : "inner";
          Dataset<Row> side = spark.createDataFrame(sideRows(random), SIDE);
          if (uniqueSide) {
            side = side.dropDuplicates("sk");
          }
          data = data.join(side, col("k0").equalTo(col("sk")), how);
          chain.append(" > ").append(how).append(" join to a side ").append(uniqueSide ? "unique" : "not unique");
        }
        case 6 -> {
          data = data.union(data.filter(col("v").isNull().or(col("v").gt(random.nextInt(20)))));
          chain.append(" > union");
        }
        case 7 -> {
          data = data.withColumn("copy", explode(array(lit(1), lit(2)))).drop("copy");
          chain.append(" > explode");
        }
        case 8 -> {
          data = data.limit(1 + random.nextInt(2));
          chain.append(" > limit");
        }
        default -> {
          data = data.withColumn("v", col("v").plus(lit(1)));
          chain.append(" > derived");
        }
      }
    }
    List<String> ruleColumns = someOf(random, List.of(data.columns()));
    chain.append(", unique ").append(ruleColumns);
    Expectation rule = new Expectation("keys_unique", Expectation.Kind.UNIQUE, Expectation.Action.WARN, ruleColumns,
        List.of(), OptionalLong.empty(), OptionalLong.empty(), "", Optional.empty(), "test");

    CheckedDataset check = CheckedDataset.apply("d", data, List.of(rule));
    long rows = check.data().count();
    ExpectationResult result = check.results().get(0);
    long repeated = check.heldByPlan().isEmpty() ? -1
        : data.groupBy(ruleColumns.stream().map(k -> col(k)).toArray(Column[]::new)).count()
            .filter(col("count").gt(1)).count();
    return new Outcome(chain.toString(), check.heldByPlan(), result.violations(), rows, repeated);
  }

  /** One or two of {@code columns}, in their order. */
  private static List<String> someOf(Random random, List<String> columns) {
    List<String> picked = new ArrayList<>();
    while (picked.isEmpty()) {
      for (String column : columns) {
        if (random.nextInt(columns.size()) < 1 + random.nextInt(2) && picked.size() < 2) {
          picked.add(column);
        }
      }
    }
    return picked;
  }

  private static List<Row> rows(Random random, int count) {
    List<Row> rows = new ArrayList<>();
    for (int r = 0; r < count; r++) {
      rows.add(RowFactory.create(random.nextInt(6) == 0 ? null : random.nextInt(4),
          random.nextInt(6) == 0 ? null : new String[] {"a", "b", ""}[random.nextInt(3)], r));
    }
    return rows;
  }

  private static List<Row> sideRows(Random random) {
    List<Row> rows = new ArrayList<>();
    for (int r = 0; r < 1 + random.nextInt(6); r++) {
      rows.add(RowFactory.create(random.nextInt(5) == 0 ? null : random.nextInt(4), "s" + r));
    }
    return rows;
  }
}
