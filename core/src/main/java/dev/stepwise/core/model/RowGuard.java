package dev.stepwise.core.model;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * A dataset's guard against replacing good data by far less: checked before a task publishes
 * anything, against the rows counted now and the rows its last published version had.
 *
 * @param minRows fewest rows a version may have to be published
 * @param maxDrop largest fraction (0 to 1, exclusive of 1) by which the row count may fall below the
 *     last published version's
 * @param location file:line of the {@code guard} block
 */
public record RowGuard(OptionalLong minRows, OptionalDouble maxDrop, String location) {
  public RowGuard {
    Objects.requireNonNull(minRows, "minRows");
    Objects.requireNonNull(maxDrop, "maxDrop");
    Objects.requireNonNull(location, "location");
  }

  /**
   * Why {@code rows} may not be published over a version of {@code lastRows}; empty when it may.
   *
   * @param lastRows rows of the last published version, when known
   */
  public Optional<String> refusal(long rows, OptionalLong lastRows) {
    if (minRows.isPresent() && rows < minRows.getAsLong()) {
      return Optional.of(rows + " rows, fewer than guard.min_rows = " + minRows.getAsLong() + " (" + location + ")");
    }
    if (maxDrop.isPresent() && lastRows.isPresent() && lastRows.getAsLong() > 0) {
      double floor = lastRows.getAsLong() * (1 - maxDrop.getAsDouble());
      if (rows < floor) {
        return Optional.of(String.format(java.util.Locale.ROOT,
            "%d rows against %d in the last published version: a drop of %.1f%%, more than guard.max_drop = %s (%s)",
            rows, lastRows.getAsLong(), 100.0 * (lastRows.getAsLong() - rows) / lastRows.getAsLong(),
            maxDrop.getAsDouble(), location));
      }
    }
    return Optional.empty();
  }
}
