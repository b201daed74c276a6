package dev.stepwise.core.io;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One version of a Delta table as its history tells it.
 *
 * @param operation Delta's name for what the commit did (WRITE, MERGE, RESTORE, ...)
 * @param run the Stepwise run that made it; empty for a commit anyone else made
 */
public record TableCommit(long version, Instant timestamp, String operation, Optional<StepwiseCommit> run) {
  public TableCommit {
    if (version < 0) {
      throw new IllegalArgumentException("a Delta version is never negative: " + version);
    }
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(run, "run");
  }

  /** "version 4 (WRITE by run R (task T, run date D))" for messages. */
  public String describe() {
    return "version " + version + " (" + operation + " by "
        + run.map(StepwiseCommit::describe).orElse("a writer other than Stepwise") + ")";
  }
}
