package dev.stepwise.core.run;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.core.config.GroupingLoader;
import dev.stepwise.core.config.PipelineConfigLoader;
import dev.stepwise.core.io.DatasetStore;
import dev.stepwise.core.io.StepwiseCommit;
import dev.stepwise.core.model.ConfigSource;
import dev.stepwise.core.model.PipelineConfig;
import dev.stepwise.core.model.RowGuard;
import dev.stepwise.core.model.RunContext;
import dev.stepwise.core.model.StorageFormat;
import dev.stepwise.core.model.StorageSpec;
import dev.stepwise.core.plan.Planner;
import dev.stepwise.core.plan.TaskPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Row guards on Delta datasets, by real runs of one task that publishes two Delta tables, one
 * partitioned by run date ({@code by_date}) and one replaced whole ({@code whole}). Generated cases
 * of (rows the table holds where the run commits, rows the run brings, guard) are each decided as
 * the pure rule {@link RowGuard#refusal} decides with the previous rows the test put there itself;
 * a refusal commits nothing to either table and names both numbers and the guard's file:line.
 */
class DeltaGuardTest {
  private static final LocalDate DAY = LocalDate.parse("2026-11-21");
  private static final String STATS = "spark.databricks.delta.stats.collect";
  private static final int CASES = 12;
  private static SparkSession spark;
  @TempDir static Path scratch;

  @BeforeAll
  static void startSpark() {
    spark = DeltaPipeline.session(scratch.resolve("spark"));
    spark.sparkContext().setLogLevel("OFF");
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  /**
   * One case: {@code previous} rows of the run date (empty: that date, or the table, was never
   * written), whether the previous commit kept file statistics, and the rows the run brings.
   */
  private record Case(String guarded, String guard, OptionalLong previous, boolean statistics, int rows) {}

  @Test
  void eachGeneratedCaseIsDecidedAsThePureRuleDecidesIt() throws IOException {
    Random random = new Random(1616);
    int refused = 0;
    int published = 0;
    for (int i = 0; i < CASES; i++) {
      Case c = generate(random, i % 2 == 0 ? "by_date" : "whole");
      Path root = scratch.resolve("case-" + i);
      TaskPlan task = task(root, c);
      RowGuard guard = task.contracts().get(c.guarded()).guard().orElseThrow();
      putPrevious(root, c);
      deliverEvents(root, c.rows());
      long byDateVersion = version(root.resolve("tables/by_date"));
      long wholeVersion = version(root.resolve("tables/whole"));
      long byDateOtherDay = rowsOf(root.resolve("tables/by_date"), DAY.minusDays(1));

      Optional<String> rule = guard.refusal(c.rows(), c.previous());
      String what = "case " + i + " " + c;
      if (rule.isPresent()) {
        GuardFailedException e = assertThrows(GuardFailedException.class, () -> run(task, DAY), what);
        String message = e.getMessage();
        assertTrue(message.contains("dataset '" + c.guarded() + "' is not published: " + c.rows() + " rows")
            && message.contains(guard.location()) && message.contains("published nothing"), what + ": " + message);
        if (!rule.get().contains("min_rows")) {
          assertTrue(message.contains("against " + c.previous().getAsLong() + " in the last published version"),
              what + ": " + message);
        }
        assertEquals(byDateVersion, version(root.resolve("tables/by_date")), what + ": nothing committed to by_date");
        assertEquals(wholeVersion, version(root.resolve("tables/whole")), what + ": nothing committed to whole");
        long kept = c.previous().orElse(0);
        assertEquals(kept, c.guarded().equals("by_date") ? rowsOf(root.resolve("tables/by_date"), DAY)
            : rowsOf(root.resolve("tables/whole"), null), what + ": the guarded table keeps its rows");
        if (refused++ == 0) {
          System.out.println("delta row guard, a refusal: " + message);
        }
      } else {
        run(task, DAY);
        assertEquals(c.rows(), rowsOf(root.resolve("tables/by_date"), DAY), what + ": by_date published");
        assertEquals(c.rows(), rowsOf(root.resolve("tables/whole"), null), what + ": whole published");
        published++;
      }
      assertEquals(byDateOtherDay, rowsOf(root.resolve("tables/by_date"), DAY.minusDays(1)),
          what + ": another run date is never touched");
    }
    assertTrue(refused >= 3 && published >= 3, "both outcomes were tried: refused " + refused + ", published "
        + published);
    System.out.println("delta row guard: " + CASES + " generated cases, " + refused + " refused, " + published + " published,"
        + " each as RowGuard.refusal decides");
  }

  /** A case near the guard's edges: the row count is drawn around the floor that max_drop sets. */
  private static Case generate(Random random, String guarded) {
    OptionalLong minRows = random.nextInt(2) == 0 ? OptionalLong.of(random.nextInt(5)) : OptionalLong.empty();
    List<Double> drops = List.of(0.0, 0.25, 0.5, 0.75);
    Optional<Double> maxDrop = minRows.isEmpty() || random.nextInt(3) > 0
        ? Optional.of(drops.get(random.nextInt(drops.size()))) : Optional.empty();
    OptionalLong previous = random.nextInt(5) == 0 ? OptionalLong.empty() : OptionalLong.of(random.nextInt(13));
    int rows;
    if (maxDrop.isPresent() && previous.isPresent()) {
      int floor = (int) Math.ceil(previous.getAsLong() * (1 - maxDrop.get()));
      rows = Math.max(0, floor - 2 + random.nextInt(4));
    } else {
      rows = random.nextInt(8);
    }
    List<String> keys = new ArrayList<>();
    minRows.ifPresent(m -> keys.add("min_rows = " + m));
    maxDrop.ifPresent(d -> keys.add("max_drop = " + d));
    return new Case(guarded, "guard { " + String.join(", ", keys) + " }", previous, random.nextBoolean(), rows);
  }

  private static TaskPlan task(Path root, Case c) throws IOException {
    Files.createDirectories(root);
    Path config = root.resolve("guarded.conf");
    Files.writeString(config, """
        pipeline { name = guarded_delta }
        datasets {
          events { format = json, path = "%1$s/raw/events/run_date={run_date}", schema = "id INT, n INT" }
          by_date {
            format = delta
            path = "%1$s/tables/by_date"
            partition_by = [run_date]
            run_date_column = run_date
            %2$s
          }
          whole {
            format = delta
            path = "%1$s/tables/whole"
            %3$s
          }
        }
        steps {
          to_by_date { type = double_n, inputs { in = events }, outputs { out = by_date } }
          to_whole { type = double_n, inputs { in = events }, outputs { out = whole } }
        }
        """.formatted(root.toAbsolutePath(), c.guarded().equals("by_date") ? c.guard() : "",
        c.guarded().equals("whole") ? c.guard() : ""));
    PipelineConfig pipeline = new PipelineConfigLoader(DeltaPipeline.CATALOG).load(ConfigSource.file(config), Map.of());
    return Planner.plan(pipeline, GroupingLoader.single(pipeline)).tasks().get(0);
  }

  /**
   * What the tables hold before the run: the previous rows where the run commits (and, for by_date,
   * rows of the day before that the run must not count), written by another writer's commit.
   */
  private static void putPrevious(Path root, Case c) {
    DatasetStore store = new DatasetStore(spark);
    spark.conf().set(STATS, Boolean.toString(c.statistics()));
    try {
      StorageSpec byDate = new StorageSpec(
          StorageFormat.DELTA, root.resolve("tables/by_date").toString(), Map.of(),
          Optional.empty(), List.of("run_date")).withRunDateColumn("run_date");
      store.commitDelta(rows(5), byDate.onRunDate(DAY.minusDays(1)), info("by_date", DAY.minusDays(1)));
      if (c.previous().isEmpty()) {
        return; // by_date has never had this date; whole does not exist
      }
      int previous = (int) c.previous().getAsLong();
      if (c.guarded().equals("by_date")) {
        store.commitDelta(rows(previous), byDate.onRunDate(DAY), info("by_date", DAY));
      } else {
        store.commitDelta(rows(previous), StorageSpec.files(
            StorageFormat.DELTA, root.resolve("tables/whole").toString()),
            info("whole", DAY));
      }
    } finally {
      spark.conf().unset(STATS);
    }
  }

  /** Rows in two files (when there are two rows or more), so a count from statistics adds up files. */
  private static Dataset<Row> rows(int count) {
    return spark.createDataset(IntStream.range(0, count).boxed().toList(), Encoders.INT()).toDF("id")
        .withColumn("n", col("id").multiply(2)).repartition(2);
  }

  private static StepwiseCommit info(String dataset, LocalDate date) {
    return new StepwiseCommit("guarded_delta", "test", "(previous)", "previous-" + System.nanoTime(),
        Optional.of(date), "0".repeat(64), dataset);
  }

  private static void deliverEvents(Path root, int rows) throws IOException {
    Path folder = root.resolve("raw/events/run_date=" + DAY);
    Files.createDirectories(folder);
    Files.writeString(folder.resolve("events.json"), IntStream.rangeClosed(1, rows)
        .mapToObj(i -> "{\"id\": " + i + ", \"n\": " + i + "}").collect(Collectors.joining("\n", "", "\n")));
  }

  private static void run(TaskPlan task, LocalDate date) {
    new TaskRunner(spark, RunListener.NONE).run(task, new RunContext(date, Map.of(), "guard-" + System.nanoTime())
        .named("guarded_delta", "single"));
  }

  /** The table's newest version; -1 when there is no table. */
  private static long version(Path table) {
    if (!Files.exists(table.resolve("_delta_log"))) {
      return -1;
    }
    return io.delta.tables.DeltaTable.forPath(spark, table.toString()).history(1).select("version").first().getLong(0);
  }

  /** Rows of one run date ({@code date} null: of the whole table); 0 when there is no table. */
  private static long rowsOf(Path table, LocalDate date) {
    if (!Files.exists(table.resolve("_delta_log"))) {
      return 0;
    }
    Dataset<Row> all = spark.read().format("delta").load(table.toString());
    return date == null ? all.count() : all.where(col("run_date").equalTo(lit(date))).count();
  }
}
