package dev.stepwise.core.run;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Cuts wall time into back-to-back {@link Phase}s: each {@link #lap} closes the phase that began
 * where the previous one ended, so nothing a run does falls between two phases.
 */
public final class PhaseClock {
  private final List<Phase> phases = new ArrayList<>();
  private final Optional<String> task;
  private Instant mark;

  public PhaseClock(Optional<String> task, Instant start) {
    this.task = task;
    this.mark = start;
  }

  public static PhaseClock startingNow(Optional<String> task) {
    return new PhaseClock(task, Instant.now());
  }

  /** Closes the phase running since the previous lap, and starts the next one now. */
  public Phase lap(String name, PhaseKind kind, Optional<String> step, Optional<String> dataset) {
    Instant now = Instant.now();
    Phase phase = new Phase(name, kind, task, step, dataset, mark, Duration.between(mark, now));
    phases.add(phase);
    mark = now;
    return phase;
  }

  /** One overhead phase from this clock's start to {@code end}, for what happened before anyone could time it. */
  public List<Phase> lapAt(String name, Instant end) {
    Phase phase = new Phase(name, PhaseKind.OVERHEAD, task, Optional.empty(), Optional.empty(), mark,
        Duration.between(mark, end));
    phases.add(phase);
    mark = end;
    return List.of(phase);
  }

  public Phase lap(String name, PhaseKind kind) {
    return lap(name, kind, Optional.empty(), Optional.empty());
  }

  /**
   * Takes in phases timed elsewhere (a task's, timed by its runner) that began at this clock's mark;
   * the next lap starts where the last of them ended.
   */
  public void append(List<Phase> timedElsewhere) {
    if (timedElsewhere.isEmpty()) {
      return;
    }
    Phase first = timedElsewhere.get(0);
    // The runner's clock started a few microseconds after this mark: give that sliver to its first phase.
    phases.add(new Phase(first.name(), first.kind(), first.task(), first.step(), first.dataset(), mark,
        Duration.between(mark, first.end())));
    phases.addAll(timedElsewhere.subList(1, timedElsewhere.size()));
    mark = timedElsewhere.get(timedElsewhere.size() - 1).end();
  }

  public List<Phase> phases() {
    return List.copyOf(phases);
  }
}
