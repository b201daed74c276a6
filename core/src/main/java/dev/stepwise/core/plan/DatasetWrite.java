package dev.stepwise.core.plan;

import dev.stepwise.core.model.StorageSpec;
import java.util.List;
import java.util.Set;

/**
 * A dataset a task writes.
 *
 * @param storage where, with placeholders other than {@code {dataset}} still to resolve
 * @param readByTasks the other tasks that read it
 */
public record DatasetWrite(String dataset, String producerStep, StorageSpec storage,
    Set<MaterializeReason> reasons, List<String> readByTasks) {
  public DatasetWrite {
    reasons = Set.copyOf(reasons);
    readByTasks = List.copyOf(readByTasks);
  }

  /** Whether its staged files give back every value as it was written (columnar, not split by value). */
  public boolean stagedExactly() {
    return ReuseChoice.stagedExactly(storage);
  }
}
