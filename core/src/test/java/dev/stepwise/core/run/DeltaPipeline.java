package dev.stepwise.core.run;

import static org.apache.spark.sql.functions.col;

import dev.stepwise.core.config.GroupingLoader;
import dev.stepwise.core.config.PipelineConfigLoader;
import dev.stepwise.core.io.DeltaSessionSettings;
import dev.stepwise.core.model.ConfigSource;
import dev.stepwise.core.model.PipelineConfig;
import dev.stepwise.core.model.RunContext;
import dev.stepwise.core.plan.ExecutionPlan;
import dev.stepwise.core.plan.Planner;
import dev.stepwise.core.plan.TaskPlan;
import dev.stepwise.core.step.StepCatalog;
import dev.stepwise.core.step.StepOutputs;
import dev.stepwise.core.step.StepType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.sql.SparkSession;

/**
 * A two-task pipeline whose written datasets are Delta tables: {@code double} reads the json source
 * {@code events} (id, n) of a run date and publishes {@code doubled} (id, n * 2) into one Delta table
 * that keeps run dates apart ({@code run_date_column}); {@code tally} reads one run date of it and
 * publishes its row count to {@code totals}, a Delta table every run replaces whole.
 */
public final class DeltaPipeline {
  static final StepCatalog CATALOG = StepCatalog.of(List.of(
      StepType.named("double_n").inputs("in").outputs("out")
          .create(p -> in -> StepOutputs.of("out", in.get("in").withColumn("n", col("n").multiply(2)))),
      // Another shape of the same dataset: what a table written by an older config would hold.
      StepType.named("double_with_extra").inputs("in").outputs("out")
          .create(p -> in -> StepOutputs.of("out", in.get("in").withColumn("n", col("n").multiply(2))
              .withColumn("extra", col("n").cast("string")))),
      StepType.named("double_as_long").inputs("in").outputs("out")
          .create(p -> in -> StepOutputs.of("out", in.get("in").withColumn("n", col("n").cast("long")))),
      StepType.named("id_only").inputs("in").outputs("out")
          .create(p -> in -> StepOutputs.of("out", in.get("in").select("id"))),
      StepType.named("tally").inputs("in").outputs("out")
          .create(p -> in -> StepOutputs.of("out", in.get("in").agg(
              org.apache.spark.sql.functions.count(org.apache.spark.sql.functions.lit(1)).as("rows"))))));

  final Path root;
  final Path config;

  /** {@code doubleType}: the step type of {@code double}; {@code doubledExtra}: more keys of {@code doubled}. */
  DeltaPipeline(Path root, String doubleType, String doubledExtra) throws IOException {
    this.root = root;
    this.config = root.resolve("delta.conf");
    Files.createDirectories(root);
    Files.writeString(config, """
        pipeline { name = tiny_delta }
        datasets {
          events { format = json, path = "%1$s/raw/events/run_date={run_date}", schema = "id INT, n INT" }
          doubled {
            format = delta
            path = "%1$s/tables/doubled"
            partition_by = [run_date]
            run_date_column = run_date
            %3$s
          }
          totals { format = delta, path = "%1$s/tables/totals" }
        }
        steps {
          double { type = %2$s, inputs { in = events }, outputs { out = doubled } }
          tally { type = tally, inputs { in = doubled }, outputs { out = totals } }
        }
        """.formatted(root.toAbsolutePath(), doubleType, doubledExtra));
  }

  DeltaPipeline(Path root) throws IOException {
    this(root, "double_n", "");
  }

  /** The pipeline whose config is already at {@code root}. */
  private DeltaPipeline(Path root, boolean existing) {
    this.root = root;
    this.config = root.resolve("delta.conf");
  }

  ExecutionPlan plan() {
    PipelineConfig pipeline = new PipelineConfigLoader(CATALOG).load(ConfigSource.file(config), Map.of());
    return Planner.plan(pipeline, GroupingLoader.perStep(pipeline));
  }

  TaskPlan task(String name) {
    return plan().task(name).orElseThrow();
  }

  Path doubled() {
    return root.resolve("tables/doubled");
  }

  Path totals() {
    return root.resolve("tables/totals");
  }

  /** Events with ids 1..rows for a run date. */
  void deliverEvents(LocalDate date, int rows) throws IOException {
    Path folder = root.resolve("raw/events/run_date=" + date);
    Files.createDirectories(folder);
    Files.writeString(folder.resolve("events.json"), IntStream.rangeClosed(1, rows)
        .mapToObj(i -> "{\"id\": " + i + ", \"n\": " + i + "}").collect(Collectors.joining("\n", "", "\n")));
  }

  RunContext context(LocalDate date) {
    return RunContext.of(date, Map.of()).named("tiny_delta", "per-step");
  }

  TaskResult run(SparkSession spark, String task, LocalDate date) {
    return new TaskRunner(spark, RunListener.NONE).run(task(task), context(date));
  }

  /** A small local session with Delta's settings, for every Delta test of core. */
  public static SparkSession session(Path scratch) {
    SparkSession.Builder builder = SparkSession.builder();
    DeltaSessionSettings.forDelta().forEach(builder::config);
    return builder
        .appName("stepwise-core-delta-tests")
        // Delta rebuilds a table's state in 50 partitions by default: tiny tables want one.
        .config("spark.databricks.delta.snapshotPartitions", "1")
        .master("local[1]")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "1")
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.warehouse.dir", scratch.resolve("warehouse").toUri().toString())
        .config("spark.local.dir", scratch.resolve("local").toString())
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate();
  }

  /**
   * Runs one task for one run date in this JVM: args are the pipeline's root, the task, the run
   * date and a folder in which to wait for the file {@code go} once Spark is up. Exit 0 when the
   * task succeeded, 3 when a live run held the lock, 1 on any other failure.
   */
  public static void main(String[] args) throws Exception {
    DeltaPipeline pipeline = new DeltaPipeline(Path.of(args[0]), true);
    SparkSession spark = session(Files.createTempDirectory("stepwise-delta-child-"));
    spark.sparkContext().setLogLevel("ERROR");
    spark.range(1).count(); // warm up, so that both children reach the commit together
    Path signals = Path.of(args[3]);
    Files.writeString(signals.resolve("ready-" + ProcessHandle.current().pid()), "");
    while (!Files.exists(signals.resolve("go"))) {
      Thread.sleep(5);
    }
    int code = 0;
    try {
      pipeline.run(spark, args[1], LocalDate.parse(args[2]));
    } catch (dev.stepwise.core.io.ConcurrentRunException e) {
      System.err.println("refused: " + e.getMessage());
      code = 3;
    } catch (RuntimeException e) {
      System.err.println("task failed: " + e);
      e.printStackTrace();
      code = 1;
    } finally {
      spark.stop();
    }
    System.exit(code);
  }
}
