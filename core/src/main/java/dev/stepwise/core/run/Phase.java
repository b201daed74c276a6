package dev.stepwise.core.run;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One stretch of a run's wall time. Phases of a run follow each other without gaps, so they add up
 * to its wall time.
 *
 * @param task empty for what the process does outside any task (JVM start, SparkSession start, ...)
 * @param step the step this phase belongs to, if any
 * @param dataset the dataset written in this phase, if any
 */
public record Phase(String name, PhaseKind kind, Optional<String> task, Optional<String> step,
    Optional<String> dataset, Instant start, Duration duration) {
  public Phase {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(duration, "duration");
  }

  public Instant end() {
    return start.plus(duration);
  }
}
