package dev.stepwise.core.model;

import dev.stepwise.core.problem.ConfigProblem;
import dev.stepwise.core.problem.InvalidConfigException;
import dev.stepwise.core.problem.Suggestions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The rule every grouping keeps, whether read from a file or built in code: each step of the
 * pipeline is in exactly one task. Steps are placed one by one so a reader can report each mistake
 * where it was written.
 */
public final class StepCoverage {
  private final PipelineConfig pipeline;
  private final Map<String, String> taskOfStep = new LinkedHashMap<>();

  public StepCoverage(PipelineConfig pipeline) {
    this.pipeline = pipeline;
  }

  /** Checks a whole grouping built in code, reporting at each task's location. */
  public static void check(PipelineConfig pipeline, Grouping grouping) {
    StepCoverage coverage = new StepCoverage(pipeline);
    List<ConfigProblem> problems = new ArrayList<>();
    for (TaskSpec task : grouping.tasks()) {
      for (String step : task.steps()) {
        coverage.place(task.name(), step).ifPresent(problem ->
            problems.add(new ConfigProblem(task.location(), "tasks." + task.name() + ".steps", problem)));
      }
    }
    coverage.uncovered().ifPresent(problem -> problems.add(new ConfigProblem(grouping.location(), "tasks", problem)));
    if (!problems.isEmpty()) {
      throw new InvalidConfigException(problems);
    }
  }

  /** Puts {@code step} in {@code task}; the problem, when the step is unknown or already in a task. */
  public Optional<String> place(String task, String step) {
    if (!pipeline.steps().containsKey(step)) {
      return Optional.of("unknown step '" + step + "'" + Suggestions.didYouMean(step, pipeline.steps().keySet())
          + "; the pipeline's steps are " + pipeline.steps().keySet());
    }
    String previous = taskOfStep.putIfAbsent(step, task);
    if (previous != null) {
      return Optional.of("step '" + step + "' is already in task '" + previous
          + "'; a step belongs to exactly one task");
    }
    return Optional.empty();
  }

  /** The problem, when steps placed so far leave some of the pipeline's steps in no task. */
  public Optional<String> uncovered() {
    Set<String> missing = new LinkedHashSet<>(pipeline.steps().keySet());
    missing.removeAll(taskOfStep.keySet());
    return missing.isEmpty() ? Optional.empty() : Optional.of("steps in no task: " + String.join(", ", missing)
        + "; every step of pipeline '" + pipeline.name() + "' must be in one task");
  }
}
