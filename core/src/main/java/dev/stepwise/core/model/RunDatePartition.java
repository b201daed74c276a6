package dev.stepwise.core.model;

import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * The partition column of a Delta table that holds the run date: Stepwise fills it on every row a
 * run writes, replaces exactly that run date's partition, and reads one run date back without it.
 *
 * @param column the column's name, one of the storage's {@code partition_by}
 * @param date the run's date once a run resolved the storage; empty in the config
 */
public record RunDatePartition(String column, Optional<LocalDate> date) {
  public RunDatePartition {
    Objects.requireNonNull(column, "column");
    Objects.requireNonNull(date, "date");
  }

  public static RunDatePartition column(String column) {
    return new RunDatePartition(column, Optional.empty());
  }

  public RunDatePartition on(LocalDate runDate) {
    return new RunDatePartition(column, Optional.of(runDate));
  }

  /** The resolved date; only a storage resolved for a run has one. */
  public LocalDate requireDate() {
    return date.orElseThrow(() -> new IllegalStateException("the storage was not resolved for a run date"));
  }
}
