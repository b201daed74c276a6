package dev.stepwise.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValue;
import dev.stepwise.core.model.AirflowSettings;
import dev.stepwise.core.model.ConfigSource;
import dev.stepwise.core.model.DatasetSpec;
import dev.stepwise.core.model.Expectation;
import dev.stepwise.core.model.PipelineConfig;
import dev.stepwise.core.model.RowGuard;
import dev.stepwise.core.model.StepGraph;
import dev.stepwise.core.model.StepSpec;
import dev.stepwise.core.model.StorageFormat;
import dev.stepwise.core.model.StorageRoot;
import dev.stepwise.core.model.StorageSpec;
import dev.stepwise.core.problem.ConfigProblem;
import dev.stepwise.core.problem.InvalidConfigException;
import dev.stepwise.core.problem.Suggestions;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
  private static final Set<String> STORAGE_KEYS =
      Set.of("format", "path", "table", "options", "schema", "partition_by", "root", "allow_subpaths",
          DeltaStorageCheck.RUN_DATE_COLUMN);
  private static final Set<String> DATASET_KEYS = Set.of("format", "path", "table", "options", "schema",
      "partition_by", "root", "allow_subpaths", "checkpoint", "expectations", "guard", DeltaStorageCheck.RUN_DATE_COLUMN);
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{\\??\\s*([^}\\s]+)\\s*}");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");
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
    Optional<StorageRoot> storageRoot = Optional.empty();
    AirflowSettings airflow = AirflowSettings.DEFAULTS;
    if (pipelineBlock != null) {
      pipelineBlock.allowOnly(PIPELINE_KEYS);
      name = pipelineBlock.requiredString("name").filter(n -> Names.check(pipelineBlock, "name", "pipeline name", n))
          .orElse(name);
      description = pipelineBlock.string("description").orElse("");
      defaultGrouping = pipelineBlock.string("default_grouping");
      Optional<StorageRoot> declaredRoot = storageRoot(pipelineBlock, source, problems);
      storageRoot = declaredRoot;
      intermediate = pipelineBlock.block("intermediate").flatMap(b -> storage(b.allowOnly(STORAGE_KEYS)))
          .map(s -> under(s, declaredRoot));
      airflow = pipelineBlock.block("airflow").map(PipelineConfigLoader::airflow).orElse(airflow);
    }

    Optional<StorageRoot> pipelineRoot = storageRoot;
    Map<String, DatasetSpec> datasets = new LinkedHashMap<>();
    Optional<ConfigBlock> datasetsBlock = root.block("datasets");
    if (root.value("datasets").isEmpty()) {
      problems.add(ConfigProblem.at(config.origin(), "datasets", "missing the 'datasets { ... }' block"));
    }
    for (Map.Entry<String, ConfigBlock> entry : datasetsBlock.map(ConfigBlock::blocks).orElse(List.of())) {
      ConfigBlock block = entry.getValue().allowOnly(DATASET_KEYS);
      Names.checkKey(block, "dataset", entry.getKey());
      Optional<StorageSpec> storage = block.keys().contains("format") || block.keys().contains("path")
          || block.keys().contains("table") ? storage(block).map(s -> under(s, pipelineRoot)) : Optional.empty();
      storage.ifPresent(s -> checkInsideRoot(block, s, pipelineRoot));
      boolean checkpoint = block.bool("checkpoint").orElse(false);
      if (checkpoint && storage.isEmpty() && intermediate.isEmpty() && block.keys().contains("format") == false) {
        block.problem("checkpoint = true needs storage: give this dataset a format and path,"
            + " or declare pipeline.intermediate");
      }
      Optional<String> schema = contract(block);
      List<Expectation> expectations = block.block("expectations")
          .map(b -> ExpectationReader.read(b, schema.map(StructType::fromDDL)))
          .orElse(List.of()).stream().map(e -> quarantinedUnder(e, pipelineRoot)).toList();
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
    return new PipelineConfig(name, description, defaultGrouping, intermediate, airflow, datasets, steps, source,
        storageRoot);
  }

  private static Config parseAndResolve(ConfigSource source, Map<String, String> overrides) {
    try {
      Config config = SourceParser.parse(source);
      for (Map.Entry<String, String> override : overrides.entrySet()) {
        try {
          config = config.withValue(override.getKey(), SetValues.typed(override.getKey(), override.getValue()));
        } catch (ConfigException.BadPath e) {
          throw new InvalidConfigException(new ConfigProblem("--set", override.getKey(),
              "not a valid config path: " + e.getMessage()));
        }
      }
      return config.resolve(ConfigResolveOptions.defaults().setUseSystemEnvironment(true));
    } catch (ConfigException.IO e) {
      throw new InvalidConfigException(MissingIncludes.explain(source, e).orElseGet(() -> new ConfigProblem(
          source.describe(), "", "cannot read the config: " + e.getMessage() + "; pass an existing file with --config")));
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
    int retries = block.integer("retries").orElse(d.retries());
    if (retries < 0) {
      block.problem(block.value("retries").orElseThrow(), "retries", "retries cannot be negative, got " + retries
          + "; use 0 for no retry");
    }
    java.time.Duration retryDelay = block.duration("retry_delay").orElse(d.retryDelay());
    if (retryDelay.isNegative()) {
      block.problem(block.value("retry_delay").orElseThrow(), "retry_delay", "a retry delay cannot be negative,"
          + " got " + block.value("retry_delay").orElseThrow().unwrapped() + "; write a duration such as 10m");
    }
    return new AirflowSettings(
        block.string("schedule").orElse(d.schedule()),
        block.string("owner").orElse(d.owner()),
        Math.max(0, retries),
        retryDelay.isNegative() ? d.retryDelay() : retryDelay);
  }

  /** The dataset's declared schema, if it parses as Spark DDL. */
  private static Optional<String> contract(ConfigBlock block) {
    return block.string("schema").filter(ddl -> !ddl.isBlank()).flatMap(ddl -> {
      try {
        StructType.fromDDL(ddl);
        return Optional.of(ddl);
      } catch (Exception e) {
        block.problem(block.value("schema").orElseThrow(), "schema", "not a valid schema (" + Reasons.of(e)
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
    boolean deltaByName = format.get() == StorageFormat.DELTA && block.keys().contains("table");
    String locationKey = format.get() == StorageFormat.TABLE || deltaByName ? "table" : "path";
    String otherKey = locationKey.equals("table") ? "path" : "table";
    if (format.get() == StorageFormat.DELTA) {
      if (!DeltaStorageCheck.oneLocation(block)) {
        return Optional.empty();
      }
    } else {
      block.value(otherKey).ifPresent(v -> block.problem(v, otherKey,
          "format " + format.get().configName() + " takes '" + locationKey + "', not '" + otherKey + "'"));
    }
    Optional<String> location = block.requiredString(locationKey);
    if (deltaByName && location.filter(name -> !DeltaStorageCheck.tableName(block, name)).isPresent()) {
      return Optional.empty();
    }
    Optional<String> schema = block.string("schema");
    Map<String, String> options = SourceOptions.withStrictDefaults(format.get(),
        block.block("options").map(ConfigBlock::flatStrings).orElse(Map.of()),
        schema.filter(ddl -> !ddl.isBlank()).isPresent());
    schema.ifPresent(ddl -> {
      if (ddl.isBlank()) {
        block.problem(block.value("schema").orElseThrow(), "schema", "an empty schema; write a DDL such as"
            + " \"id STRING, amount DECIMAL(18,2)\" or leave the key out");
      }
    });
    List<String> partitionBy = block.stringList("partition_by")
        .map(items -> items.stream().map(Map.Entry::getKey).toList()).orElse(List.of());
    Optional<StorageRoot> root = block.string("root").flatMap(text -> {
      Optional<String> problem = StorageRoot.problem(text);
      problem.ifPresent(reason -> block.problem(block.value("root").orElseThrow(), "root", "the dataset's root "
          + reason));
      return problem.isPresent() ? Optional.empty() : Optional.of(StorageRoot.declared(text, StorageRoot.Origin.DATASET));
    });
    if (root.isPresent() && format.get() == StorageFormat.TABLE) {
      block.problem(block.value("root").orElseThrow(), "root", "a table has no folder to keep below a root;"
          + " remove 'root'");
    }
    Optional<String> runDateColumn = DeltaStorageCheck.runDateColumn(block, format.get(), location, partitionBy, options,
        schema);
    List<String> subpaths = block.stringList("allow_subpaths")
        .map(items -> items.stream().map(Map.Entry::getKey).toList()).orElse(List.of());
    location.ifPresent(l -> {
      Set<String> used = new java.util.LinkedHashSet<>();
      Matcher m = PLACEHOLDER.matcher(l);
      while (m.find()) {
        used.add(m.group(1));
      }
      for (String name : subpaths) {
        if (name.equals("run_date") || name.equals("dataset") || !used.contains(name)) {
          block.problem(block.value("allow_subpaths").orElseThrow(), "allow_subpaths", "'" + name + "' "
              + (used.contains(name) ? "always holds one folder name" : "is not a placeholder of " + locationKey
                  + " " + l + Suggestions.didYouMean(name, used)) + "; list only --var placeholders of this path");
        }
      }
    });
    return location.map(l -> {
      if (deltaByName) {
        // A catalog table's folder is known only once a session asks the catalog: the pipeline's
        // root (or the dataset's own) must hold it then.
        StorageSpec named = new StorageSpec(format.get(), l, options, schema, partitionBy, root, Set.copyOf(subpaths))
            .namingTable(l);
        return runDateColumn.map(named::withRunDateColumn).orElse(named);
      }
      StorageSpec spec = new StorageSpec(format.get(), l, options, schema, partitionBy);
      StorageSpec declared = new StorageSpec(format.get(), l, options, schema, partitionBy, root.or(spec::root),
          Set.copyOf(subpaths));
      return runDateColumn.map(declared::withRunDateColumn).orElse(declared);
    });
  }

  private static StorageSpec under(StorageSpec storage, Optional<StorageRoot> pipelineRoot) {
    return pipelineRoot.map(storage::under).orElse(storage);
  }

  private static Expectation quarantinedUnder(Expectation e, Optional<StorageRoot> pipelineRoot) {
    return e.quarantine().isEmpty() ? e : e.withQuarantine(e.quarantine().map(q -> under(q, pipelineRoot)));
  }

  /**
   * {@code pipeline.storage_root}, refused when it could only put data somewhere dangerous: empty
   * (an exported but empty environment variable, an empty {@code --set}), whitespace, {@code /},
   * '..'; the problem names where the value came from.
   */
  private static Optional<StorageRoot> storageRoot(ConfigBlock pipeline, ConfigSource source,
      List<ConfigProblem> problems) {
    Optional<ConfigValue> value = pipeline.value("storage_root");
    if (value.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> text = pipeline.string("storage_root");
    if (text.isEmpty()) {
      return Optional.empty(); // not a string: already reported
    }
    Optional<String> problem = StorageRoot.problem(text.get());
    if (problem.isEmpty()) {
      return Optional.of(StorageRoot.declared(text.get(), StorageRoot.Origin.PIPELINE));
    }
    ConfigOrigin origin = value.get().origin();
    String description = origin.description() == null ? "" : origin.description();
    if (origin.filename() == null && origin.resource() == null && description.contains("env variables")) {
      problems.add(fromEnvironment(source, problem.get()));
    } else if (description.startsWith("--set")) {
      problems.add(new ConfigProblem("--set", "pipeline.storage_root", "the value given with --set "
          + "pipeline.storage_root " + problem.get()));
    } else {
      problems.add(ConfigProblem.at(origin, "pipeline.storage_root", problem.get()));
    }
    return Optional.empty();
  }

  /** A bad root taken from an environment variable: name the variable and the line that reads it. */
  private static ConfigProblem fromEnvironment(ConfigSource source, String problem) {
    String where = source.describe();
    List<String> variables = new ArrayList<>();
    if (source instanceof ConfigSource.File file) {
      try {
        List<String> lines = java.nio.file.Files.readAllLines(file.path());
        for (int i = 0; i < lines.size(); i++) {
          if (!lines.get(i).contains("storage_root")) {
            continue;
          }
          Matcher m = REFERENCE.matcher(lines.get(i));
          while (m.find()) {
            if (System.getenv(m.group(1)) != null) {
              variables.add(m.group(1));
              where = file.path() + ":" + (i + 1);
            }
          }
        }
      } catch (java.io.IOException | RuntimeException e) {
        // The file was just parsed; if it cannot be read again, the message names no line.
      }
    }
    String variable = variables.isEmpty() ? "an environment variable"
        : "the environment variable " + variables.get(variables.size() - 1);
    return new ConfigProblem(where, "pipeline.storage_root", "the value from " + variable + " " + problem
        + "; set it to a folder or unset it");
  }

  /**
   * A path the config itself writes outside the root (not through a placeholder) is a config error,
   * found here with its line rather than when a run resolves it.
   */
  private static void checkInsideRoot(ConfigBlock block, StorageSpec storage, Optional<StorageRoot> pipelineRoot) {
    if (storage.format() == StorageFormat.TABLE || storage.root().isEmpty() || block.value("path").isEmpty()) {
      return;
    }
    StorageRoot root = storage.root().get();
    String template = storage.location();
    int placeholder = template.indexOf('{');
    String fixed = placeholder < 0 ? template : template.substring(0, template.lastIndexOf('/', placeholder) + 1);
    boolean inside = placeholder < 0 ? root.contains(fixed) : fixed.isEmpty() || root.containsOrIs(fixed);
    if (!inside) {
      block.problem(block.value("path").orElseThrow(), "path", "path " + StorageRoot.printable(template)
          + " is not below its storage root " + root.describe() + "; write it under the root, or declare"
          + " root = \"...\" on this dataset for data that lives elsewhere");
    }
  }

  private Optional<StepSpec> step(
      String name, ConfigBlock block, Map<String, DatasetSpec> datasets, List<ConfigProblem> problems) {
    block.allowOnly(STEP_KEYS);
    Names.checkKey(block, "step", name);
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
    List<String> inputRoles = type.get().inputRolesFromConfig()
        ? block.block("inputs").map(b -> List.copyOf(b.keys())).orElse(List.of())
        : type.get().inputRoles();
    Map<String, String> inputs = bindings(block, "inputs", inputRoles, datasets);
    Map<String, String> outputs = bindings(block, "outputs", type.get().outputRoles(), datasets);
    Optional<Step> step = build(type.get(), block, problems, inputRoles);
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

  private static Optional<Step> build(
      StepType type, ConfigBlock block, List<ConfigProblem> problems, List<String> inputRoles) {
    Config paramsConfig = block.block("params").map(b -> b.raw().toConfig()).orElse(ConfigFactory.empty());
    StepParams params = type.inputRolesFromConfig()
        ? StepParams.of(paramsConfig, block.key("params"), block.origin(), inputRoles)
        : StepParams.of(paramsConfig, block.key("params"), block.origin());
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
