package dev.stepwise.core.run;

import java.time.Duration;
import java.util.List;

/**
 * What a task did: its steps in order, what it published, how long it took, and where that time
 * went.
 *
 * @param phases back to back, from the task's start to its end: reading set-up, each step, each
 *     dataset computed and written, publishing
 * @param reusedSteps steps a resumed run skipped because a failed run had staged all they produce
 */
public record TaskResult(String task, List<String> steps, List<WrittenDataset> written, Duration elapsed,
    List<Phase> phases, List<String> reusedSteps) {
  public TaskResult {
    steps = List.copyOf(steps);
    written = List.copyOf(written);
    phases = List.copyOf(phases);
    reusedSteps = List.copyOf(reusedSteps);
  }

  public Duration time(PhaseKind kind) {
    return phases.stream().filter(p -> p.kind() == kind).map(Phase::duration).reduce(Duration.ZERO, Duration::plus);
  }
}
