package dev.stepwise.core.run;

import dev.stepwise.core.model.DatasetSpec;
import dev.stepwise.core.model.Expectation;
import dev.stepwise.core.model.StepSpec;
import dev.stepwise.core.plan.DatasetRead;
import dev.stepwise.core.plan.TaskPlan;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which steps of a task a resumed run can skip, given the staged outputs a failed run left complete.
 * A step is skipped when everything it stages (its written outputs and the rows its outputs' drop
 * rules set aside) is reusable and no step that must run needs one of its outputs that lives only
 * in memory. A running step that reads a written output of a skipped step reads the staged copy:
 * the nearest persisted ancestor, instead of recomputing the chain before it.
 *
 * @param skipped steps not to run
 * @param readBack written outputs of skipped steps that a running step reads
 * @param reused staged keys (datasets, or {@code dataset.expectation} quarantines) taken over
 * @param reads the task's inputs still needed: read by a running step, or with rows to set aside
 */
record ResumePlan(Set<String> skipped, Set<String> readBack, Set<String> reused, List<DatasetRead> reads) {
  ResumePlan {
    skipped = Set.copyOf(skipped);
    readBack = Set.copyOf(readBack);
    reused = Set.copyOf(reused);
    reads = List.copyOf(reads);
  }

  /** A run from scratch. */
  static ResumePlan none(TaskPlan task) {
    return new ResumePlan(Set.of(), Set.of(), Set.of(), task.reads());
  }

  /** @param reusable staged keys with a complete staging that matches this run */
  static ResumePlan of(TaskPlan task, Set<String> reusable) {
    Set<String> running = new HashSet<>();
    List<StepSpec> steps = task.steps();
    for (int i = steps.size() - 1; i >= 0; i--) {
      StepSpec step = steps.get(i);
      if (mustRun(task, step, reusable, running)) {
        running.add(step.name());
      }
    }
    Set<String> skipped = new LinkedHashSet<>();
    Set<String> readBack = new LinkedHashSet<>();
    Set<String> reused = new LinkedHashSet<>();
    for (StepSpec step : steps) {
      if (running.contains(step.name())) {
        continue;
      }
      skipped.add(step.name());
      for (String dataset : step.outputs().values()) {
        reused.addAll(staged(task, dataset));
        if (task.writes(dataset) && readByRunning(task, dataset, running)) {
          readBack.add(dataset);
        }
      }
    }
    List<DatasetRead> reads = new ArrayList<>();
    for (DatasetRead read : task.reads()) {
      if (readByRunning(task, read.dataset(), running) || !quarantines(task, read.dataset()).isEmpty()) {
        reads.add(read);
      }
    }
    return new ResumePlan(skipped, readBack, reused, reads);
  }

  private static boolean mustRun(TaskPlan task, StepSpec step, Set<String> reusable, Set<String> running) {
    for (String dataset : step.outputs().values()) {
      if (!reusable.containsAll(staged(task, dataset))) {
        return true;
      }
      if (!task.writes(dataset) && readByRunning(task, dataset, running)) {
        return true;
      }
    }
    return false;
  }

  /** What the task stages for a dataset: the dataset if written, and the rows its drop rules set aside. */
  static List<String> staged(TaskPlan task, String dataset) {
    List<String> keys = new ArrayList<>();
    if (task.writes(dataset)) {
      keys.add(dataset);
    }
    keys.addAll(quarantines(task, dataset));
    return keys;
  }

  private static List<String> quarantines(TaskPlan task, String dataset) {
    DatasetSpec contract = task.contracts().get(dataset);
    if (contract == null) {
      return List.of();
    }
    return contract.expectations().stream()
        .filter(e -> e.action() == Expectation.Action.DROP && e.quarantine().isPresent())
        .map(e -> Fingerprints.quarantineKey(dataset, e)).toList();
  }

  private static boolean readByRunning(TaskPlan task, String dataset, Set<String> running) {
    return task.steps().stream().anyMatch(s -> running.contains(s.name()) && s.inputs().containsValue(dataset));
  }
}
