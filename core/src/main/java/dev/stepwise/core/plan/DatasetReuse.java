package dev.stepwise.core.plan;

import java.util.Objects;
import java.util.Optional;

/**
 * A dataset a task uses more than once, and how it is kept between uses.
 *
 * @param uses the steps of the task that read it, plus one when the task also writes it
 * @param releaseAfter for a cached dataset, the step after whose writes it is unpersisted
 */
public record DatasetReuse(String dataset, int uses, ReuseReason reason, Optional<String> releaseAfter) {
  public DatasetReuse {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(releaseAfter, "releaseAfter");
    if (uses < 2) {
      throw new IllegalArgumentException("dataset '" + dataset + "' is used " + uses + " time(s): nothing to reuse");
    }
    if (releaseAfter.isPresent() != (reason.reuse() == Reuse.CACHE)) {
      throw new IllegalArgumentException("only a cached dataset is released: " + dataset + " " + reason);
    }
  }

  public Reuse reuse() {
    return reason.reuse();
  }
}
