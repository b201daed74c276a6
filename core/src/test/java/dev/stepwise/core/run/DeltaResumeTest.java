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
import dev.stepwise.core.model.RunContext;
import dev.stepwise.core.model.StorageFormat;
import dev.stepwise.core.model.StorageSpec;
import dev.stepwise.core.plan.Planner;
import dev.stepwise.core.plan.TaskPlan;
import dev.stepwise.core.step.StepCatalog;
import dev.stepwise.core.step.StepOutputs;
import dev.stepwise.core.step.StepType;
import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --resume} over a Delta input, by real runs: a task {@code a -> x (checkpoint) -> b -> z}
 * reads the Delta table {@code facts}, fails in {@code b}, then generated sequences of commits land on
 * {@code facts} before the resumed run. The staged {@code x} is reused exactly when no commit changed
 * what {@code a} read: only commits to other run dates of a table with run_date_column; any commit to
 * a table read whole. Either way the published {@code z} is computed from what {@code facts} holds now.
 */
class DeltaResumeTest {
  private static final LocalDate DAY = LocalDate.parse("2026-11-21");
  private static final LocalDate OTHER_DAY = DAY.minusDays(1);
  private static final StepCatalog CATALOG = StepCatalog.of(List.of(
      StepType.named("double_or_fail").inputs("in").outputs("out").create(p -> {
        boolean fail = p.string("fail", "no").equals("yes");
        return in -> {
          if (fail) {
            throw new IllegalStateException("asked to fail");
          }
          return StepOutputs.of("out", in.get("in").withColumn("n", col("n").multiply(2)));
        };
      })));
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

  private enum Change { REPLACE_SAME_ROWS, REPLACE_OTHER_ROWS, APPEND, DELETE_ONE_ROW }

  private record Commit(Change change, LocalDate date) {}

  @Test
  void aStagedOutputIsReusedExactlyWhenNoCommitChangedWhatItsStepRead() throws IOException {
    Random random = new Random(1602);
    int reused = 0;
    int recomputed = 0;
    for (int trial = 0; trial < 6; trial++) {
      boolean byDate = trial % 3 != 2;
      Path root = scratch.resolve("trial-" + trial);
      StorageSpec facts = facts(root, byDate);
      DatasetStore store = new DatasetStore(spark);
      List<Integer> ids = new ArrayList<>(List.of(1, 2, 3, 4));
      store.commitDelta(rows(ids), facts.onRunDate(DAY), info(DAY));
      if (byDate) {
        store.commitDelta(rows(List.of(7, 8)), facts.onRunDate(OTHER_DAY), info(OTHER_DAY));
      }

      assertThrows(StepFailedException.class, () -> new TaskRunner(spark, RunListener.NONE).run(task(root, byDate,
          true), context("failed")));

      List<Commit> commits = new ArrayList<>();
      for (int k = 1 + random.nextInt(3); k > 0; k--) {
        Commit commit = new Commit(Change.values()[random.nextInt(Change.values().length)],
            byDate && random.nextInt(5) < 3 ? OTHER_DAY : DAY);
        commits.add(commit);
        apply(commit, facts, byDate, commit.date().equals(DAY) ? ids : new ArrayList<>(List.of(7, 8)), random);
      }
      boolean readUnchanged = byDate && commits.stream().allMatch(c -> c.date().equals(OTHER_DAY));

      TaskResult result = new TaskRunner(spark, RunListener.NONE).resume(task(root, byDate, false),
          context("resumed"));
      String what = "trial " + trial + (byDate ? " (run_date_column)" : " (read whole)") + " after " + commits;
      assertEquals(readUnchanged ? List.of("a") : List.of(), result.reusedSteps(), what);
      List<Integer> expected = new ArrayList<>();
      spark.read().format("delta").load(facts.location()).where(byDate ? col("run_date").equalTo(lit(DAY)) : lit(true))
          .select("n").as(Encoders.INT()).collectAsList().forEach(n -> expected.add(n * 4));
      List<Integer> published = spark.read().parquet(root.resolve("out/z/run_date=" + DAY).toString())
          .select("n").as(Encoders.INT()).collectAsList();
      assertEquals(expected.stream().sorted().toList(), published.stream().sorted().toList(),
          what + ": z is computed from what facts holds now");
      if (readUnchanged) {
        reused++;
      } else {
        recomputed++;
      }
    }
    assertTrue(reused >= 2 && recomputed >= 2, "both directions were tried: reused " + reused + ", recomputed "
        + recomputed);
    System.out.println("delta resume: 6 generated commit sequences, x reused after " + reused + ", recomputed after "
        + recomputed);
  }

  /** One commit by another writer; {@code ids} are the ids the date has, kept up to date. */
  private static void apply(Commit commit, StorageSpec facts, boolean byDate, List<Integer> ids, Random random) {
    String table = facts.location();
    switch (commit.change()) {
      case REPLACE_SAME_ROWS -> new DatasetStore(spark).commitDelta(rows(ids), facts.onRunDate(commit.date()),
          info(commit.date()));
      case REPLACE_OTHER_ROWS -> {
        ids.replaceAll(id -> id + 10);
        new DatasetStore(spark).commitDelta(rows(ids), facts.onRunDate(commit.date()), info(commit.date()));
      }
      case APPEND -> {
        int id = 100 + random.nextInt(100);
        ids.add(id);
        Dataset<Row> added = rows(List.of(id));
        (byDate ? added.withColumn("run_date", lit(commit.date())) : added).write().format("delta").mode("append")
            .save(table);
      }
      case DELETE_ONE_ROW -> {
        int id = ids.remove(random.nextInt(ids.size()));
        DeltaTable.forPath(spark, table).delete((byDate ? col("run_date").equalTo(lit(commit.date())) : lit(true))
            .and(col("id").equalTo(lit(id))));
      }
    }
  }

  private static StorageSpec facts(Path root, boolean byDate) {
    StorageSpec table = new StorageSpec(StorageFormat.DELTA, root.resolve("tables/facts").toString(), Map.of(),
        Optional.empty(), byDate ? List.of("run_date") : List.of());
    return byDate ? table.withRunDateColumn("run_date") : table;
  }

  private static TaskPlan task(Path root, boolean byDate, boolean failInB) throws IOException {
    Files.createDirectories(root);
    Path config = root.resolve(failInB ? "failing.conf" : "fixed.conf");
    Files.writeString(config, """
        pipeline { name = delta_resume }
        datasets {
          facts { format = delta, path = "%1$s/tables/facts" %2$s }
          x { format = parquet, path = "%1$s/work/x/run_date={run_date}", checkpoint = true }
          z { format = parquet, path = "%1$s/out/z/run_date={run_date}" }
        }
        steps {
          a { type = double_or_fail, inputs { in = facts }, outputs { out = x } }
          b { type = double_or_fail, inputs { in = x }, outputs { out = z }, params { fail = %3$s } }
        }
        """.formatted(root.toAbsolutePath(), byDate ? ", partition_by = [run_date], run_date_column = run_date" : "",
        failInB ? "yes" : "no"));
    PipelineConfig pipeline = new PipelineConfigLoader(CATALOG).load(ConfigSource.file(config), Map.of());
    return Planner.plan(pipeline, GroupingLoader.single(pipeline)).tasks().get(0);
  }

  private static Dataset<Row> rows(List<Integer> ids) {
    return spark.createDataset(List.copyOf(ids), Encoders.INT()).toDF("id").withColumn("n", col("id"))
        .repartition(2);
  }

  private static StepwiseCommit info(LocalDate date) {
    return new StepwiseCommit("delta_resume", "test", "(facts)", "facts-" + System.nanoTime(), Optional.of(date),
        "0".repeat(64), "facts");
  }

  private static RunContext context(String run) {
    return new RunContext(DAY, Map.of(), run + "-" + System.nanoTime()).named("delta_resume", "single");
  }
}
