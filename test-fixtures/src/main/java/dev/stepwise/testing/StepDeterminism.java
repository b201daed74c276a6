package dev.stepwise.testing;

import dev.stepwise.core.step.Step;
import dev.stepwise.core.step.StepInputs;
import dev.stepwise.core.step.StepOutputs;
import dev.stepwise.core.step.StepParams;
import dev.stepwise.core.step.StepType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Checks that a step's outputs do not depend on how its inputs are partitioned: what a regrouping
 * changes. A step's data arrives in other partitions and row orders when it shares a task with
 * other steps, reads what another task wrote, or runs with other shuffle settings; a step whose
 * outputs then move (a floating-point sum rounded afterwards, {@code first()} or
 * {@code dropDuplicates} without an ordering) gives different results under different groupings.
 *
 * <pre>{@code
 * StepDeterminism.assertPartitionInvariant(new ComputeFees(schedule), StepInputs.of("payments", payments));
 * }</pre>
 *
 * <p>Each trial rebuilds every input from its rows in a new order (a seeded shuffle), spread over 1,
 * 3 or 7 partitions, and runs the step with another {@code spark.sql.shuffle.partitions} and with
 * adaptive execution on or off; every output must hold exactly the same rows as in the first trial
 * (as a multiset, compared with {@code equals}: no tolerance). The session's settings are restored
 * afterwards. Inputs should be small and have what makes order matter: duplicate keys, ties,
 * values whose sums round.
 */
public final class StepDeterminism {
  private static final int[] PARTITIONS = {1, 3, 7};
  private static final int[] SHUFFLE_PARTITIONS = {1, 4, 11, 2, 7, 3};
  private static final String SHUFFLE = "spark.sql.shuffle.partitions";
  private static final String ADAPTIVE = "spark.sql.adaptive.enabled";
  private static final int ROWS_SHOWN = 10;

  private final int trials;
  private final long seed;

  private StepDeterminism(int trials, long seed) {
    if (trials < 2) {
      throw new IllegalArgumentException("at least 2 trials are needed to compare, got " + trials);
    }
    this.trials = trials;
    this.seed = seed;
  }

  /** Eight trials with the given seed for the row orders; use another seed to explore more orders. */
  public static StepDeterminism withSeed(long seed) {
    return new StepDeterminism(8, seed);
  }

  /** More trials: more row orders and partitionings, more time. */
  public StepDeterminism trials(int count) {
    return new StepDeterminism(count, seed);
  }

  /** Eight trials, seed 1. */
  public static void assertPartitionInvariant(Step step, StepInputs inputs) {
    withSeed(1).check(step, inputs);
  }

  /** The step a type builds from {@code params}, as the config loader would. */
  public static void assertPartitionInvariant(StepType type, StepParams params, StepInputs inputs) {
    withSeed(1).check(type.factory().apply(params), inputs);
  }

  /**
   * @throws AssertionError naming the output, the two trials and the rows only one of them has
   */
  public void check(Step step, StepInputs inputs) {
    Objects.requireNonNull(step, "step");
    if (inputs.roles().isEmpty()) {
      throw new IllegalArgumentException("a step without inputs has no partitioning to vary");
    }
    SparkSession spark = inputs.get(inputs.roles().iterator().next()).sparkSession();
    Map<String, StructType> schemas = new LinkedHashMap<>();
    Map<String, List<Row>> rows = new LinkedHashMap<>();
    for (String role : inputs.roles()) {
      Dataset<Row> data = inputs.get(role);
      schemas.put(role, data.schema());
      rows.put(role, data.collectAsList());
    }
    String shuffle = spark.conf().get(SHUFFLE);
    String adaptive = spark.conf().get(ADAPTIVE);
    Random orders = new Random(seed);
    Trial first = null;
    Map<String, Map<Row, Integer>> expected = null;
    try {
      for (int i = 0; i < trials; i++) {
        Trial trial = new Trial(i + 1, PARTITIONS[i % PARTITIONS.length],
            SHUFFLE_PARTITIONS[i % SHUFFLE_PARTITIONS.length], i % 2 == 1, i == 0 ? 0 : orders.nextLong());
        spark.conf().set(SHUFFLE, Integer.toString(trial.shufflePartitions()));
        spark.conf().set(ADAPTIVE, Boolean.toString(trial.adaptive()));
        Map<String, Dataset<Row>> varied = new LinkedHashMap<>();
        rows.forEach((role, given) -> varied.put(role, trial.reshape(spark, given, schemas.get(role))));
        StepOutputs outputs = step.apply(StepInputs.of(varied));
        Map<String, Map<Row, Integer>> got = new LinkedHashMap<>();
        for (String role : outputs.roles()) {
          got.put(role, RowCounts.of(outputs.get(role).collectAsList()));
        }
        if (expected == null) {
          first = trial;
          expected = got;
        } else {
          compare(step, first, expected, trial, got);
        }
      }
    } finally {
      spark.conf().set(SHUFFLE, shuffle);
      spark.conf().set(ADAPTIVE, adaptive);
    }
  }

  private static void compare(Step step, Trial first, Map<String, Map<Row, Integer>> expected, Trial trial,
      Map<String, Map<Row, Integer>> got) {
    for (Map.Entry<String, Map<Row, Integer>> output : expected.entrySet()) {
      Map<Row, Integer> other = got.get(output.getKey());
      List<Row> onlyFirst = RowCounts.minus(output.getValue(), other);
      List<Row> onlyOther = RowCounts.minus(other, output.getValue());
      if (!onlyFirst.isEmpty() || !onlyOther.isEmpty()) {
        throw new AssertionError("step " + step.getClass().getSimpleName() + " is not partition-invariant: output '"
            + output.getKey() + "' differs between\n  trial " + first + "\n  and trial " + trial
            + "\n  rows only in trial " + first.number() + " (" + onlyFirst.size() + "): " + shown(onlyFirst)
            + "\n  rows only in trial " + trial.number() + " (" + onlyOther.size() + "): " + shown(onlyOther)
            + "\nA step must give the same rows whatever the partitioning: exact (decimal) sums where rounding"
            + " follows, an ordering for dropDuplicates and window first(), no order-dependent aggregate.");
      }
    }
  }

  private static String shown(List<Row> rows) {
    List<String> shown = rows.stream().limit(ROWS_SHOWN).map(Row::toString).toList();
    return shown + (rows.size() > ROWS_SHOWN ? " and " + (rows.size() - ROWS_SHOWN) + " more" : "");
  }

  /** One way of handing a step its inputs: row order, input partitions and shuffle settings. */
  private record Trial(int number, int partitions, int shufflePartitions, boolean adaptive, long orderSeed) {
    Dataset<Row> reshape(SparkSession spark, List<Row> given, StructType schema) {
      List<Row> ordered = new ArrayList<>(given);
      if (orderSeed != 0) {
        Collections.shuffle(ordered, new Random(orderSeed));
      }
      // parallelize slices the list in order, so each partition holds a run of this very order.
      JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
      return spark.createDataFrame(context.parallelize(ordered, partitions), schema);
    }

    @Override
    public String toString() {
      return number + " (" + (orderSeed == 0 ? "rows as given" : "rows shuffled with seed " + orderSeed) + ", "
          + partitions + " input partition" + (partitions == 1 ? "" : "s") + ", spark.sql.shuffle.partitions="
          + shufflePartitions + ", adaptive execution " + (adaptive ? "on" : "off") + ")";
    }
  }
}
