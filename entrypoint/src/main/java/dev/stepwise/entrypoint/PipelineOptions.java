package dev.stepwise.entrypoint;

import dev.stepwise.core.config.ConfigSource;
import dev.stepwise.core.config.Grouping;
import dev.stepwise.core.config.GroupingLoader;
import dev.stepwise.core.config.PipelineConfig;
import dev.stepwise.core.config.PipelineConfigLoader;
import dev.stepwise.core.plan.ExecutionPlan;
import dev.stepwise.core.plan.Planner;
import dev.stepwise.core.step.StepCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options every command that reads a pipeline shares, and the loading they drive. */
final class PipelineOptions {
  static final String DEFAULT_CONFIG = "conf/payments.conf";

  @Option(names = "--config", paramLabel = "FILE",
      description = "Pipeline config (default: ${DEFAULT-VALUE} in the working directory, else the one inside the jar).",
      defaultValue = DEFAULT_CONFIG)
  Path config;

  @Option(names = "--grouping", paramLabel = "NAME|FILE",
      description = "per-step, single, a name from groupings/ beside the config, or a file (default: the pipeline's default_grouping, else single).")
  String grouping;

  @Option(names = "--set", paramLabel = "CONFIG.PATH=VALUE",
      description = "Override a config value before it is validated, e.g. --set pipeline.storage_root=/tmp/x.")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Option(names = {"-v", "--verbose"}, description = "Stack traces on errors, Spark's INFO log.")
  boolean verbose;

  /** The pipeline's config: the given file, or the copy packaged in the jar when the default is absent. */
  ConfigSource source() {
    if (Files.isRegularFile(config) || !config.toString().equals(DEFAULT_CONFIG)) {
      return ConfigSource.file(config);
    }
    ClassLoader loader = PipelineOptions.class.getClassLoader();
    return loader.getResource(DEFAULT_CONFIG) != null
        ? ConfigSource.resource(DEFAULT_CONFIG, loader)
        : ConfigSource.file(config);
  }

  PipelineConfig pipeline() {
    StepCatalog catalog = StepCatalog.discover(PipelineOptions.class.getClassLoader());
    return new PipelineConfigLoader(catalog).load(source(), overrides);
  }

  Grouping grouping(PipelineConfig pipeline) {
    String ref = grouping != null ? grouping : pipeline.defaultGrouping().orElse(GroupingLoader.SINGLE);
    return GroupingLoader.load(ref, pipeline);
  }

  ExecutionPlan plan() {
    PipelineConfig pipeline = pipeline();
    return Planner.plan(pipeline, grouping(pipeline));
  }
}
