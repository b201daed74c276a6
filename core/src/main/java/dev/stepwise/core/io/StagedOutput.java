package dev.stepwise.core.io;

import dev.stepwise.core.config.StorageFormat;
import dev.stepwise.core.config.StorageSpec;
import org.apache.hadoop.fs.Path;

/** A dataset written to staging, waiting for its task to succeed before it becomes visible. */
public final class StagedOutput {
  private final DatasetStore store;
  private final StorageSpec storage;
  private final Path staging;
  private final Path target;
  private final long rows;

  StagedOutput(DatasetStore store, StorageSpec storage, Path staging, Path target, long rows) {
    this.store = store;
    this.storage = storage;
    this.staging = staging;
    this.target = target;
    this.rows = rows;
  }

  public long rows() {
    return rows;
  }

  public String location() {
    return storage.location();
  }

  /** Makes the data visible at its final place, replacing what an earlier run left there. */
  public void publish(String runId) {
    if (storage.format() == StorageFormat.TABLE) {
      store.publishTable(staging, storage);
    } else {
      store.publishFiles(staging, target, runId);
    }
  }

  public void discard() {
    store.discard(staging);
  }
}
