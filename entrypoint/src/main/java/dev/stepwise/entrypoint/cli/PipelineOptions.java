package dev.stepwise.entrypoint.cli;

import dev.stepwise.core.config.GroupingLoader;
import dev.stepwise.core.config.PipelineConfigLoader;
import dev.stepwise.core.model.ConfigSource;
import dev.stepwise.core.model.Grouping;
import dev.stepwise.core.model.PipelineConfig;
import dev.stepwise.core.plan.CachePolicy;
import dev.stepwise.core.plan.ExecutionPlan;
import dev.stepwise.core.plan.Planner;
import dev.stepwise.core.run.BoundaryFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The options every command that reads a pipeline shares, and the loading they drive. */
final class PipelineOptions {
  static final String CONFIG_VARIABLE = "STEPWISE_CONFIG";

  @Option(names = "--config", paramLabel = "FILE",
      description = "Pipeline config (default: the file named by the environment variable " + CONFIG_VARIABLE + ").")
  Path config;

  @Option(names = "--jars", paramLabel = "JAR", split = ",",
      description = "Jars with your steps (a StepLibrary each), comma-separated or repeated; bin/stepwise adds $STEPWISE_JARS.")
  List<Path> jars = new ArrayList<>();

  @Option(names = "--grouping", paramLabel = "NAME|FILE",
      description = "per-step, single, a name from groupings/ beside the config, or a file (default: the pipeline's default_grouping, else single).")
  String grouping;

  @Option(names = "--set", paramLabel = "CONFIG.PATH=VALUE",
      description = "Override a config value before it is validated, e.g. --set pipeline.storage_root=/tmp/x.")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Option(names = {"-v", "--verbose"}, description = "Stack traces on errors, Spark's INFO log.")
  boolean verbose;

  /** The config file: --config, else $STEPWISE_CONFIG; there is no default pipeline. */
  Path configPath() {
    if (config != null) {
      return config;
    }
    String fromEnvironment = System.getenv(CONFIG_VARIABLE);
    if (fromEnvironment == null || fromEnvironment.isBlank()) {
      throw new UsageException("no pipeline config: pass --config FILE or set " + CONFIG_VARIABLE);
    }
    return Path.of(fromEnvironment);
  }

  ConfigSource source() {
    return ConfigSource.file(configPath());
  }

  PipelineConfig pipeline() {
    ConfigSource source = source();
    StepJars stepJars = StepJars.checked(jars);
    ClassLoader loader = stepJars.loader(PipelineOptions.class.getClassLoader());
    if (!stepJars.jars().isEmpty()) {
      // Spark resolves classes of deserialized step code through this loader, also when the jars
      // are not on the JVM's class path (a direct java -cp launch, a test).
      Thread.currentThread().setContextClassLoader(loader);
    }
    return new PipelineConfigLoader(StepJars.catalog(loader)).load(source, overrides);
  }

  Grouping grouping(PipelineConfig pipeline) {
    String ref = grouping != null ? grouping : pipeline.defaultGrouping().orElse(GroupingLoader.SINGLE);
    return GroupingLoader.load(ref, pipeline);
  }

  ExecutionPlan plan() {
    PipelineConfig pipeline = pipeline();
    requireKnownBoundaryFiles(System.getProperty(BoundaryFiles.KEY));
    return Planner.plan(pipeline, grouping(pipeline), launcherCachePolicy(System.getProperty(CachePolicy.KEY)));
  }

  /** A task reads {@value BoundaryFiles#KEY} from its session; a wrong value fails here, before Spark starts. */
  static void requireKnownBoundaryFiles(String value) {
    if (value != null && BoundaryFiles.named(value).isEmpty()) {
      throw new UsageException("'" + value + "' is not a value of " + BoundaryFiles.KEY + " (given to the launcher);"
          + " write " + BoundaryFiles.choices());
    }
  }

  /**
   * The cache policy given to the launcher: spark-submit turns its {@code --conf} settings into
   * system properties of the driver before calling main, and bin/stepwise passes {@code -D} ones.
   */
  static Optional<CachePolicy> launcherCachePolicy(String value) {
    if (value == null) {
      return Optional.empty();
    }
    return Optional.of(CachePolicy.named(value).orElseThrow(() -> new UsageException("'" + value
        + "' is not a cache policy (" + CachePolicy.KEY + ", given to the launcher); write " + CachePolicy.choices())));
  }
}
