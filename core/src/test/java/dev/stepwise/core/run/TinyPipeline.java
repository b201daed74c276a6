package dev.stepwise.core.run;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import dev.stepwise.core.config.GroupingLoader;
import dev.stepwise.core.config.PipelineConfigLoader;
import dev.stepwise.core.model.ConfigSource;
import dev.stepwise.core.model.Grouping;
import dev.stepwise.core.model.PipelineConfig;
import dev.stepwise.core.model.RunContext;
import dev.stepwise.core.model.TaskSpec;
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
 * A two-step pipeline for tests of writing and publishing, one task per step: {@code double}
 * reads the source {@code events} (id, n) and writes {@code doubled} (id, n * 2); {@code tally}
 * reads {@code doubled} and writes its row count to {@code totals}.
 */
final class TinyPipeline {
  static final LocalDate RUN_DATE = LocalDate.parse("2026-11-21");
  static final StepCatalog CATALOG = StepCatalog.of(List.of(
      StepType.named("double_n").inputs("in").outputs("out")
          .create(p -> in -> StepOutputs.of("out", in.get("in").withColumn("n", col("n").multiply(2)))),
      StepType.named("tally").inputs("in").outputs("out")
          .create(p -> in -> StepOutputs.of("out", in.get("in").agg(count(lit(1)).as("rows")))),
      // Fails only when Spark computes the rows, that is while writing them.
      StepType.named("fail_while_writing").inputs("in").outputs("out")
          .create(p -> in -> StepOutputs.of("out", in.get("in").withColumn("n",
              org.apache.spark.sql.functions.raise_error(lit("a write that fails")).cast("int"))))));

  final Path root;
  final Path config;

  TinyPipeline(Path root, String extraForDoubled) throws IOException {
    this(root, extraForDoubled, "double_n");
  }

  TinyPipeline(Path root, String extraForDoubled, String doubleType) throws IOException {
    this.root = root;
    this.config = root.resolve("tiny.conf");
    Files.createDirectories(root);
    Files.writeString(config, """
        pipeline { name = tiny }
        datasets {
          events { format = json, path = "%1$s/raw/events/run_date={run_date}", schema = "id INT, n INT" }
          doubled {
            format = parquet
            path = "%1$s/work/doubled/run_date={run_date}"
            %2$s
          }
          totals { format = json, path = "%1$s/out/totals/run_date={run_date}" }
        }
        steps {
          double { type = %3$s, inputs { in = events }, outputs { out = doubled } }
          tally { type = tally, inputs { in = doubled }, outputs { out = totals } }
        }
        """.formatted(root.toAbsolutePath(), extraForDoubled, doubleType));
  }

  ExecutionPlan plan() {
    PipelineConfig pipeline = new PipelineConfigLoader(CATALOG).load(ConfigSource.file(config), Map.of());
    return Planner.plan(pipeline, GroupingLoader.perStep(pipeline));
  }

  TaskPlan task(String name) {
    return plan().task(name).orElseThrow();
  }

  Path doubledTarget() {
    return root.resolve("work/doubled/run_date=" + RUN_DATE);
  }

  /** Events with ids 1..rows. */
  void deliverEvents(int rows) throws IOException {
    Path folder = root.resolve("raw/events/run_date=" + RUN_DATE);
    Files.createDirectories(folder);
    Files.writeString(folder.resolve("events.json"), IntStream.rangeClosed(1, rows)
        .mapToObj(i -> "{\"id\": " + i + ", \"n\": " + i + "}").collect(Collectors.joining("\n", "", "\n")));
  }

  TaskResult run(SparkSession spark, String task) {
    return new TaskRunner(spark, RunListener.NONE).run(task(task), RunContext.of(RUN_DATE, Map.of()));
  }

  /**
   * The tasks of a pipeline whose steps {@code make} and {@code use} run in one task, or each in its
   * own ({@code apart}), so that what {@code make} produces crosses tasks.
   */
  static List<TaskPlan> makeThenUse(Path config, StepCatalog catalog, boolean apart) {
    PipelineConfig pipeline = new PipelineConfigLoader(catalog).load(ConfigSource.file(config), Map.of());
    List<TaskSpec> tasks = apart
        ? List.of(new TaskSpec("first", List.of("make"), Map.of(), "code"),
            new TaskSpec("second", List.of("use"), Map.of(), "code"))
        : List.of(new TaskSpec("all", List.of("make", "use"), Map.of(), "code"));
    return Planner.plan(pipeline, new Grouping(apart ? "apart" : "together", "", tasks,
        "code")).tasks();
  }

  static SparkSession session(Path scratch) {
    return SparkSession.builder()
        .appName("stepwise-core-tests")
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
   * Runs one task of the pipeline in this JVM, which a crash point may halt: args are the pipeline's
   * root and the task. Exit 0 when the task succeeded, 1 when it failed.
   */
  public static void main(String[] args) throws Exception {
    TinyPipeline pipeline = new TinyPipeline(Path.of(args[0]));
    SparkSession spark = session(Files.createTempDirectory("stepwise-crash-child-"));
    spark.sparkContext().setLogLevel("ERROR");
    int code = 0;
    try {
      pipeline.run(spark, args[1]);
    } catch (RuntimeException e) {
      System.err.println("task failed: " + e.getMessage());
      code = 1;
    } finally {
      spark.stop();
    }
    System.exit(code);
  }

  /** The pipeline whose config is already at {@code root}. */
  private TinyPipeline(Path root) {
    this.root = root;
    this.config = root.resolve("tiny.conf");
  }
}
