package dev.stepwise.core.run;

import dev.stepwise.core.io.Preflight;
import dev.stepwise.core.model.DatasetSpec;
import dev.stepwise.core.model.Expectation;
import dev.stepwise.core.model.RunContext;
import dev.stepwise.core.plan.DatasetRead;
import dev.stepwise.core.plan.DatasetWrite;
import dev.stepwise.core.plan.TaskPlan;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Placeholders, locations and inputs of the tasks of a run, checked before Spark starts: such
 * failures should cost seconds, and a location outside its root must never be touched.
 */
final class RunPreflight {
  private RunPreflight() {}

  /**
   * @param what the name a missing input's error gives the tasks
   * @throws MissingInputException when an input neither in storage nor written by an earlier task of the run
   */
  static void check(List<TaskPlan> tasks, RunContext run, String what) {
    tasks.forEach(task -> resolveLocations(task, run));
    Set<String> runHere = tasks.stream().map(TaskPlan::name).collect(Collectors.toSet());
    Map<String, List<String>> missing = new LinkedHashMap<>();
    for (TaskPlan task : tasks) {
      List<DatasetRead> external = task.reads().stream()
          .filter(read -> read.producerTask().map(producer -> !runHere.contains(producer)).orElse(true))
          .toList();
      List<String> absent = Preflight.missingInputs(task.withReads(external), run);
      if (!absent.isEmpty()) {
        missing.put(task.name(), absent);
      }
    }
    if (!missing.isEmpty()) {
      throw new MissingInputException(what, missing);
    }
  }

  /** Every place the task reads, writes or sets rows aside: resolving one checks its placeholders and root. */
  private static void resolveLocations(TaskPlan task, RunContext run) {
    for (DatasetRead read : task.reads()) {
      run.resolve(read.storage(), read.dataset());
    }
    for (DatasetWrite write : task.writes()) {
      run.resolve(write.storage(), write.dataset());
    }
    for (DatasetSpec contract : task.contracts().values()) {
      for (Expectation expectation : contract.expectations()) {
        expectation.quarantine().ifPresent(q -> run.resolve(q, contract.name()));
      }
    }
  }
}
