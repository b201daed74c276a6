package dev.stepwise.entrypoint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stepwise.core.config.GroupingLoader;
import dev.stepwise.core.config.PipelineConfigLoader;
import dev.stepwise.core.model.ConfigSource;
import dev.stepwise.core.model.PipelineConfig;
import dev.stepwise.core.plan.ExecutionPlan;
import dev.stepwise.core.plan.Planner;
import dev.stepwise.core.step.StepCatalog;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** The example pipeline under a storage root of a test's own, driven through the real command line. */
final class ExamplePipeline {
  static final Path CONFIG = Path.of("..", "conf", "payments.conf").toAbsolutePath().normalize();
  static final String RUN_DATE = "2026-11-21";

  private final Cli cli;
  private final Path root;
  private final Path config;

  ExamplePipeline(Cli cli, Path root) {
    this(cli, root, CONFIG);
  }

  /** With a config of the test's own (its groupings, if any, beside it). */
  ExamplePipeline(Cli cli, Path root, Path config) {
    this.cli = cli;
    this.root = root;
    this.config = config;
  }

  Path root() {
    return root;
  }

  Cli.Result command(String... args) {
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--config";
    all[args.length + 1] = config.toString();
    all[args.length + 2] = "--set";
    all[args.length + 3] = "pipeline.storage_root=" + root;
    return cli.run(all);
  }

  void generate(int events) {
    Cli.Result result = command("generate", "--run-date", RUN_DATE, "--events", Integer.toString(events));
    assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
  }

  ExecutionPlan plan(String grouping) {
    PipelineConfig pipeline = new PipelineConfigLoader(StepCatalog.discover(getClass().getClassLoader()))
        .load(ConfigSource.file(CONFIG), Map.of("pipeline.storage_root", root.toString()));
    return Planner.plan(pipeline, GroupingLoader.load(grouping, pipeline));
  }

  /** Every task of the grouping in plan order, each as its own invocation of the entry point. */
  void runEveryTask(String grouping) {
    for (String task : plan(grouping).taskNames()) {
      Cli.Result result = command("run", "--task", task, "--grouping", grouping, "--run-date", RUN_DATE);
      assertEquals(ExitCodes.OK, result.exitCode(), "task " + task + " of " + grouping + ":\n" + result);
    }
  }

  /** A dataset's rows as sorted strings: compared exactly, whatever the order Spark wrote them in. */
  static List<String> rows(SparkSession spark, Path path, String format) {
    return spark.read().format(format).option("header", "true").load(path.toString()).collectAsList().stream()
        .map(Row::toString).sorted().collect(Collectors.toList());
  }
}
