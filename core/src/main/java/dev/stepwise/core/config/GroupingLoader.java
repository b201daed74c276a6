package dev.stepwise.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigOrigin;
import dev.stepwise.core.model.ConfigSource;
import dev.stepwise.core.model.Grouping;
import dev.stepwise.core.model.PipelineConfig;
import dev.stepwise.core.model.StepCoverage;
import dev.stepwise.core.model.TaskSpec;
import dev.stepwise.core.problem.ConfigProblem;
import dev.stepwise.core.problem.InvalidConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Resolves {@code --grouping NAME|FILE} to a validated {@link Grouping}: the built-ins
 * {@code per-step} and {@code single}, a file given by path, or {@code groupings/NAME.conf} beside
 * the pipeline's config. Every step must land in exactly one task.
 */
public final class GroupingLoader {
  public static final String PER_STEP = "per-step";
  public static final String SINGLE = "single";
  private static final Set<String> TOP_LEVEL = Set.of("description", "spark", "tasks");
  private static final Set<String> TASK_KEYS = Set.of("steps", "spark");
  // Task names become Airflow task ids and Spark application names.
  private static final Pattern TASK_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

  private GroupingLoader() {}

  public static Grouping load(String ref, PipelineConfig pipeline) {
    if (PER_STEP.equals(ref)) {
      return perStep(pipeline);
    }
    if (SINGLE.equals(ref)) {
      return single(pipeline);
    }
    ConfigSource source = locate(ref, pipeline);
    String name = ref.endsWith(".conf") ? Path.of(ref).getFileName().toString().replaceFirst("\\.conf$", "") : ref;
    return fromConfig(name, parse(source), pipeline);
  }

  public static Grouping perStep(PipelineConfig pipeline) {
    List<TaskSpec> tasks = pipeline.steps().values().stream()
        .map(s -> new TaskSpec(s.name(), List.of(s.name()), Map.of(), s.location()))
        .toList();
    return new Grouping(PER_STEP, "every step its own task (the naive shape)", tasks, "built-in " + PER_STEP);
  }

  public static Grouping single(PipelineConfig pipeline) {
    TaskSpec all = new TaskSpec(pipeline.name(), List.copyOf(pipeline.steps().keySet()), Map.of(),
        "built-in " + SINGLE);
    return new Grouping(SINGLE, "the whole pipeline in one task", List.of(all), "built-in " + SINGLE);
  }

  private static ConfigSource locate(String ref, PipelineConfig pipeline) {
    if (ref.endsWith(".conf") || ref.contains("/")) {
      Path path = Path.of(ref);
      if (!Files.isRegularFile(path)) {
        throw new InvalidConfigException(new ConfigProblem(ref, "--grouping",
            "no grouping file at " + path.toAbsolutePath()));
      }
      return ConfigSource.file(path);
    }
    return pipeline.source().grouping(ref).orElseThrow(() -> new InvalidConfigException(new ConfigProblem(
        pipeline.source().describe(), "--grouping", "no grouping named '" + ref + "': use " + PER_STEP
            + ", " + SINGLE + ", a file path, or a file groupings/" + ref + ".conf beside the pipeline config")));
  }

  private static Config parse(ConfigSource source) {
    try {
      return SourceParser.parse(source).resolve();
    } catch (ConfigException.IO e) {
      throw new InvalidConfigException(MissingIncludes.explain(source, e)
          .orElseGet(() -> PipelineConfigLoader.fromTypesafe(e)));
    } catch (ConfigException e) {
      throw new InvalidConfigException(PipelineConfigLoader.fromTypesafe(e));
    }
  }

  static Grouping fromConfig(String name, Config config, PipelineConfig pipeline) {
    List<ConfigProblem> problems = new ArrayList<>();
    ConfigBlock root = new ConfigBlock(config.root(), "", problems).allowOnly(TOP_LEVEL);
    String description = root.string("description").orElse("");
    Map<String, String> defaults = root.block("spark").map(GroupingLoader::sparkSettings).orElse(Map.of());
    Optional<ConfigBlock> tasksBlock = root.block("tasks");
    if (root.value("tasks").isEmpty()) {
      root.problem("a grouping needs 'tasks { <task> { steps = [...] } }'");
    }
    StepCoverage coverage = new StepCoverage(pipeline);
    List<TaskSpec> tasks = new ArrayList<>();
    for (Map.Entry<String, ConfigBlock> entry : tasksBlock.map(ConfigBlock::blocks).orElse(List.of())) {
      String taskName = entry.getKey();
      ConfigBlock task = entry.getValue().allowOnly(TASK_KEYS);
      if (!TASK_NAME.matcher(taskName).matches()) {
        task.problem("task name '" + taskName + "' may use only letters, digits, '_', '.' and '-'");
      }
      List<String> steps = new ArrayList<>();
      if (task.value("steps").isEmpty()) {
        task.problem("task '" + taskName + "' lists no steps; add steps = [step, ...]");
      }
      for (Map.Entry<String, ConfigOrigin> item : task.stringList("steps").orElse(List.of())) {
        String step = item.getKey();
        Optional<String> problem = coverage.place(taskName, step);
        if (problem.isPresent()) {
          problems.add(ConfigProblem.at(item.getValue(), task.key("steps"), problem.get()));
        } else {
          steps.add(step);
        }
      }
      Map<String, String> spark = new LinkedHashMap<>(defaults);
      task.block("spark").map(GroupingLoader::sparkSettings).ifPresent(spark::putAll);
      tasks.add(new TaskSpec(taskName, steps, spark, task.location()));
    }
    Optional<String> uncovered = coverage.uncovered();
    if (uncovered.isPresent() && tasksBlock.isPresent()) {
      tasksBlock.get().problem(uncovered.get());
    }
    if (!problems.isEmpty()) {
      throw new InvalidConfigException(problems);
    }
    return new Grouping(name, description, tasks, root.location());
  }

  /** The {@code spark { executor.memory = 4g }} block as full Spark keys, each checked against Spark's own. */
  private static Map<String, String> sparkSettings(ConfigBlock block) {
    Map<String, String> result = new LinkedHashMap<>();
    block.flatValues().forEach((key, value) -> {
      String full = key.startsWith("spark.") ? key : "spark." + key;
      String text = String.valueOf(value.unwrapped());
      SparkSettingsCheck.problem(full, text).ifPresent(message -> block.problemAtPath(value, key, message));
      result.put(full, text);
    });
    return result;
  }
}
