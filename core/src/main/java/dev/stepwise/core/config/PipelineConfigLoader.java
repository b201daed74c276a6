package dev.stepwise.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValueFactory;
import dev.stepwise.core.plan.StepGraph;
import dev.stepwise.core.step.Step;
import dev.stepwise.core.step.StepCatalog;
import dev.stepwise.core.step.StepParams;
import dev.stepwise.core.step.StepType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.types.StructType;

/**
 * Turns a pipeline's HOCON file into a {@link PipelineConfig}, checking everything that can be
 * checked without Spark: keys, types, step types and their parameters, role bindings, dataset
 * names, producers and the step graph. All problems are collected and thrown together.
 */
public final class PipelineConfigLoader {
  private static final Set<String> TOP_LEVEL = Set.of("pipeline", "datasets", "steps");
  private static final Set<String> PIPELINE_KEYS =
      Set.of("name", "description", "default_grouping", "storage_root", "intermediate", "airflow");
  private static final Set<String> AIRFLOW_KEYS = Set.of("schedule", "owner", "retries", "retry_delay");
  private static final Set<String> STORAGE_KEYS = Set.of("format", "path", "table", "options", "schema", "partition_by");
  private static final Set<String> DATASET_KEYS =
      Set.of("format", "path", "table", "options", "schema", "partition_by", "checkpoint", "expectations", "guard");
  private static final Set<String> STEP_KEYS = Set.of("type", "inputs", "outputs", "params");

  private final StepCatalog catalog;

  public PipelineConfigLoader(StepCatalog catalog) {
    this.catalog = catalog;
  }

  /**
   * Loads and validates a pipeline.
   *
   * @param overrides config path -> value, applied over the file before substitutions resolve (so
   *     {@code pipeline.storage_root} set here moves every path built from it)
   */
  public PipelineConfig load(ConfigSource source, Map<String, String> overrides) {
    Config config = parseAndResolve(source, overrides);
    List<ConfigProblem> problems = new ArrayList<>();
    ConfigBlock root = new ConfigBlock(config.root(), "", problems).allowOnly(TOP_LEVEL);

    ConfigBlock pipelineBlock = root.block("pipeline").orElse(null);
    if (pipelineBlock == null && root.value("pipeline").isEmpty()) {
      problems.add(ConfigProblem.at(config.origin(), "pipeline", "missing the 'pipeline { name = ... }' block"));
    }
    String name = "pipeline";
    String description = "";
    Optional<String> defaultGrouping = Optional.empty();
    Optional<StorageSpec> intermediate = Optional.empty();
    AirflowSettings airflow = AirflowSettings.DEFAULTS;
    if (pipelineBlock != null) {
      pipelineBlock.allowOnly(PIPELINE_KEYS);
      name = pipelineBlock.requiredString("name").orElse(name);
      description = pipelineBlock.string("description").orElse("");
      defaultGrouping = pipelineBlock.string("default_grouping");
      pipelineBlock.string("storage_root");
      intermediate = pipelineBlock.block("intermediate").flatMap(b -> storage(b.allowOnly(STORAGE_KEYS)));
      airflow = pipelineBlock.block("airflow").map(PipelineConfigLoader::airflow).orElse(airflow);
    }

    Map<String, DatasetSpec> datasets = new LinkedHashMap<>();
    Optional<ConfigBlock> datasetsBlock = root.block("datasets");
    if (root.value("datasets").isEmpty()) {
      problems.add(ConfigProblem.at(config.origin(), "datasets", "missing the 'datasets { ... }' block"));
    }
    for (Map.Entry<String, ConfigBlock> entry : datasetsBlock.map(ConfigBlock::blocks).orElse(List.of())) {
      ConfigBlock block = entry.getValue().allowOnly(DATASET_KEYS);
      Optional<StorageSpec> storage = block.keys().contains("format") || block.keys().contains("path")
          || block.keys().contains("table") ? storage(block) : Optional.empty();
      boolean checkpoint = block.bool("checkpoint").orElse(false);
      if (checkpoint && storage.isEmpty() && intermediate.isEmpty() && block.keys().contains("format") == false) {
        block.problem("checkpoint = true needs storage: give this dataset a format and path,"
            + " or declare pipeline.intermediate");
      }
      Optional<String> schema = contract(block);
      List<Expectation> expectations = block.block("expectations")
          .map(b -> ExpectationReader.read(b, schema.map(StructType::fromDDL)))
          .orElse(List.of());
      Optional<RowGuard> guard = GuardReader.read(block, storage.isPresent() || intermediate.isPresent());
      datasets.put(entry.getKey(),
          new DatasetSpec(entry.getKey(), storage, checkpoint, block.location(), schema, expectations, guard));
    }

    Map<String, StepSpec> steps = new LinkedHashMap<>();
    Optional<ConfigBlock> stepsBlock = root.block("steps");
    if (root.value("steps").isEmpty()) {
      problems.add(ConfigProblem.at(config.origin(), "steps", "missing the 'steps { ... }' block"));
    }
    for (Map.Entry<String, ConfigBlock> entry : stepsBlock.map(ConfigBlock::blocks).orElse(List.of())) {
      step(entry.getKey(), entry.getValue(), datasets, problems).ifPresent(s -> steps.put(s.name(), s));
    }

    if (problems.isEmpty()) {
      problems.addAll(StepGraph.of(steps.values(), datasets).problems());
    }
    if (!problems.isEmpty()) {
      throw new InvalidConfigException(problems);
    }
    return new PipelineConfig(name, description, defaultGrouping, intermediate, airflow, datasets, steps, source);
  }

  private static Config parseAndResolve(ConfigSource source, Map<String, String> overrides) {
    try {
      Config config = source.parse();
      for (Map.Entry<String, String> override : overrides.entrySet()) {
        try {
          config = config.withValue(override.getKey(),
              ConfigValueFactory.fromAnyRef(override.getValue(), "--set " + override.getKey()));
        } catch (ConfigException.BadPath e) {
          throw new InvalidConfigException(new ConfigProblem("--set", override.getKey(),
              "not a valid config path: " + e.getMessage()));
        }
      }
      return config.resolve(ConfigResolveOptions.defaults().setUseSystemEnvironment(true));
    } catch (ConfigException.IO e) {
      throw new InvalidConfigException(new ConfigProblem(source.describe(), "",
          "cannot read the config: " + e.getMessage() + "; pass an existing file with --config"));
    } catch (ConfigException e) {
      throw new InvalidConfigException(fromTypesafe(e));
    }
  }

  static ConfigProblem fromTypesafe(ConfigException e) {
    ConfigOrigin origin = e.origin();
    String message = e.getMessage();
    // typesafe-config prefixes the origin itself; keep one copy of it.
    if (origin != null && message.startsWith(origin.description())) {
      message = message.substring(origin.description().length()).replaceFirst("^:\\s*", "");
    }
    return origin == null ? new ConfigProblem("<config>", "", message) : ConfigProblem.at(origin, "", message);
  }

  private static AirflowSettings airflow(ConfigBlock block) {
    block.allowOnly(AIRFLOW_KEYS);
    AirflowSettings d = AirflowSettings.DEFAULTS;
    return new AirflowSettings(
        block.string("schedule").orElse(d.schedule()),
        block.string("owner").orElse(d.owner()),
        block.integer("retries").orElse(d.retries()),
        block.duration("retry_delay").orElse(d.retryDelay()));
  }

  /** The dataset's declared schema, if it parses as Spark DDL. */
  private static Optional<String> contract(ConfigBlock block) {
    return block.string("schema").filter(ddl -> !ddl.isBlank()).flatMap(ddl -> {
      try {
        StructType.fromDDL(ddl);
        return Optional.of(ddl);
      } catch (Exception e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
        block.problem(block.value("schema").orElseThrow(), "schema", "not a valid schema (" + message
            + "); write Spark DDL such as \"id STRING, amount DECIMAL(18,2)\"");
        return Optional.empty();
      }
    });
  }

  static Optional<StorageSpec> storage(ConfigBlock block) {
    Optional<StorageFormat> format = block.keys().contains("format")
        ? block.choice("format", StorageFormat.class, StorageFormat.configNames())
        : Optional.empty();
    if (!block.keys().contains("format")) {
      block.problem("storage needs a format: one of " + String.join(", ", StorageFormat.configNames()));
      return Optional.empty();
    }
    if (format.isEmpty()) {
      return Optional.empty();
    }
    String locationKey = format.get() == StorageFormat.TABLE ? "table" : "path";
    String otherKey = format.get() == StorageFormat.TABLE ? "path" : "table";
    block.value(otherKey).ifPresent(v -> block.problem(v, otherKey,
        "format " + format.get().configName() + " takes '" + locationKey + "', not '" + otherKey + "'"));
    Optional<String> location = block.requiredString(locationKey);
    Map<String, String> options = block.block("options").map(ConfigBlock::flatStrings).orElse(Map.of());
    Optional<String> schema = block.string("schema");
    schema.ifPresent(ddl -> {
      if (ddl.isBlank()) {
        block.problem(block.value("schema").orElseThrow(), "schema", "an empty schema; write a DDL such as"
            + " \"id STRING, amount DECIMAL(18,2)\" or leave the key out");
      }
    });
    List<String> partitionBy = block.stringList("partition_by")
        .map(items -> items.stream().map(Map.Entry::getKey).toList()).orElse(List.of());
    return location.map(l -> new StorageSpec(format.get(), l, options, schema, partitionBy));
  }

  private Optional<StepSpec> step(
      String name, ConfigBlock block, Map<String, DatasetSpec> datasets, List<ConfigProblem> problems) {
    block.allowOnly(STEP_KEYS);
    Optional<String> typeName = block.requiredString("type");
    if (typeName.isEmpty()) {
      return Optional.empty();
    }
    Optional<StepType> type = catalog.find(typeName.get());
    if (type.isEmpty()) {
      block.problem(block.value("type").orElseThrow(), "type", "unknown step type '" + typeName.get() + "'"
          + Suggestions.didYouMean(typeName.get(), catalog.names())
          + "; known types: " + String.join(", ", catalog.names().stream().sorted().toList()));
      return Optional.empty();
    }
    int before = problems.size();
    Map<String, String> inputs = bindings(block, "inputs", type.get().inputRoles(), datasets);
    Map<String, String> outputs = bindings(block, "outputs", type.get().outputRoles(), datasets);
    Optional<Step> step = build(type.get(), block, problems);
    if (problems.size() > before || step.isEmpty()) {
      return Optional.empty();
    }
    String params = block.block("params").map(b -> b.raw().render(ConfigRenderOptions.concise()))
        .orElse("{}");
    return Optional.of(new StepSpec(name, type.get(), step.get(), inputs, outputs, block.location(), params));
  }

  /** Role -> dataset for one side of a step; every role bound once, to a declared dataset. */
  private static Map<String, String> bindings(
      ConfigBlock step, String side, List<String> roles, Map<String, DatasetSpec> datasets) {
    Map<String, String> bound = new LinkedHashMap<>();
    Optional<ConfigBlock> block = step.block(side);
    if (block.isEmpty()) {
      if (!roles.isEmpty() && step.value(side).isEmpty()) {
        step.problem("missing '" + side + " { " + String.join(" = ..., ", roles) + " = ... }'");
      }
      return bound;
    }
    ConfigBlock b = block.get();
    b.allowOnly(Set.copyOf(roles));
    for (String role : roles) {
      if (b.value(role).isEmpty()) {
        b.problem("role '" + role + "' is not bound to a dataset; add " + role + " = <dataset>");
        continue;
      }
      b.string(role).ifPresent(dataset -> {
        if (!datasets.containsKey(dataset)) {
          b.problem(b.value(role).orElseThrow(), role, "unknown dataset '" + dataset + "'"
              + Suggestions.didYouMean(dataset, datasets.keySet()) + "; declare it under datasets { }");
        }
        bound.put(role, dataset);
      });
    }
    return bound;
  }

  private static Optional<Step> build(StepType type, ConfigBlock block, List<ConfigProblem> problems) {
    Config paramsConfig = block.block("params").map(b -> b.raw().toConfig()).orElse(ConfigFactory.empty());
    StepParams params = StepParams.of(paramsConfig, block.key("params"), block.origin());
    try {
      Step step = type.factory().apply(params);
      List<ConfigProblem> unknown = params.unknownKeys();
      problems.addAll(unknown);
      return unknown.isEmpty() ? Optional.ofNullable(step) : Optional.empty();
    } catch (InvalidConfigException e) {
      problems.addAll(e.problems());
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      problems.add(ConfigProblem.at(block.origin(), block.key("params"), e.getMessage()));
      return Optional.empty();
    }
  }
}
