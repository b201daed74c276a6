package dev.stepwise.core.run;

import java.time.Duration;
import java.util.Optional;

/**
 * A dataset a task published.
 *
 * @param rows rows written, counted while writing; -1 when Spark did not report them
 * @param writeTime computing and writing it (its lazy lineage runs here)
 * @param reusedFrom the failed run whose staged copy a resumed run published instead of computing it
 */
public record WrittenDataset(String dataset, String step, String location, long rows, Duration writeTime,
    Optional<String> reusedFrom) {
  public WrittenDataset {
    java.util.Objects.requireNonNull(reusedFrom, "reusedFrom");
  }

  /** A dataset computed and written by this run. */
  public WrittenDataset(String dataset, String step, String location, long rows, Duration writeTime) {
    this(dataset, step, location, rows, writeTime, Optional.empty());
  }
}
