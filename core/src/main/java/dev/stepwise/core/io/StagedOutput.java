package dev.stepwise.core.io;

import dev.stepwise.core.model.RowGuard;
import dev.stepwise.core.model.RunContext;
import dev.stepwise.core.plan.TaskPlan;
import dev.stepwise.core.model.StorageFormat;
import dev.stepwise.core.model.StorageSpec;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * A dataset written to staging, waiting for its task to succeed before it becomes visible. Once
 * {@linkplain #markComplete marked complete} it survives a failure of its task, for a resumed run
 * to {@linkplain #reusedFrom reuse}.
 */
public final class StagedOutput {
  private final DatasetStore store;
  private final StorageSpec storage;
  private final String dataset;
  private final Path staging;
  private final Path target;
  private final long rows;
  private final String schema;
  private final Optional<StagingMarker> reusedFrom;
  private Optional<StagingMarker> marker;

  /** {@code schema}: what the staged files were written with, as Spark's JSON. */
  StagedOutput(DatasetStore store, StorageSpec storage, String dataset, Path staging, Path target, long rows,
      String schema, Optional<StagingMarker> reusedFrom) {
    this.store = store;
    this.storage = storage;
    this.dataset = dataset;
    this.staging = staging;
    this.target = target;
    this.rows = rows;
    this.schema = schema;
    this.reusedFrom = reusedFrom;
    this.marker = reusedFrom;
  }

  public long rows() {
    return rows;
  }

  /** The dataset, or {@code dataset.expectation} for the rows a drop rule set aside. */
  public String dataset() {
    return dataset;
  }

  public String location() {
    return storage.location();
  }

  /** The marker of an earlier, failed run whose staged data this output is; empty for data written now. */
  public Optional<StagingMarker> reusedFrom() {
    return reusedFrom;
  }

  /** Whether a failed task should keep this staging for a resumed run. */
  public boolean complete() {
    return marker.isPresent();
  }

  /**
   * Records that the data is whole and its checks passed. Tables are staged under a folder of the
   * run's own, which no later run looks into, so they are never marked.
   */
  public void markComplete(StagingMarker completed) {
    if (storage.format() == StorageFormat.TABLE) {
      return;
    }
    store.writeMarker(staging, completed);
    marker = Optional.of(completed);
  }

  /** The staged data read back, with the columns and types it was written with. */
  public Dataset<Row> read() {
    StagingMarker complete = marker.orElseThrow(
        () -> new IllegalStateException("only a complete staging of " + storage.location() + " can be read back"));
    return readWritten(DatasetStore.parsedSchema(complete.schema()));
  }

  /**
   * What this run just staged, read back with the columns and types it was written with: for later
   * steps of the task, so the data is computed once (by its write) and not cached.
   */
  public Dataset<Row> readWritten(StructType written) {
    return store.readStaged(staging, storage, written);
  }

  /**
   * Why this data may not replace the published version, by the dataset's guard; empty when it may.
   * Rows the write did not count are counted here. A Delta dataset's published version is what its
   * commit would replace: its run date's rows in the table's current version (none before the first
   * run of that date), or the whole table's.
   */
  public Optional<String> refusedBy(RowGuard guard) {
    long now = rows >= 0 ? rows : store.countStaged(staging, storage);
    OptionalLong last = guard.maxDrop().isEmpty() ? OptionalLong.empty() : switch (storage.format()) {
      case TABLE -> OptionalLong.empty();
      case DELTA -> store.deltaRows(storage, dataset);
      default -> store.publishedRows(target);
    };
    String kept = storage.format() != StorageFormat.DELTA ? "the last published version at " + target + " stays"
        : "nothing is committed to the Delta table at " + storage.location() + storage.runDatePartition()
            .map(p -> ", whose rows of " + p.column() + " = " + p.requireDate() + " stay").orElse("");
    return guard.refusal(now, last).map(reason -> "dataset '" + dataset + "' is not published: " + reason + "; " + kept);
  }

  /**
   * Fails unless the place this output goes to is free or holds a version Stepwise published.
   *
   * @throws ForeignDataException naming the dataset and path
   */
  public void requireReplaceable() {
    if (storage.format() == StorageFormat.DELTA) {
      store.requireDeltaWritable(staging, storage, dataset, writtenSchema());
    } else if (storage.format() != StorageFormat.TABLE) {
      store.requireReplaceable(target, dataset);
    }
  }

  /**
   * Makes the data visible at its final place, replacing what an earlier run of its run date left
   * there; a Delta dataset gets one commit labelled with the run, the task and its config.
   */
  public void publish(RunContext run, TaskPlan task) {
    if (storage.format() == StorageFormat.DELTA) {
      if (marker.isPresent()) {
        store.removeMarker(staging);
      }
      store.publishDelta(staging, storage, new StepwiseCommit(run.pipeline(), run.grouping(), task.name(),
          run.runId(), Optional.of(run.runDate()), ConfigFingerprint.of(task), dataset), writtenSchema());
      return;
    }
    publish(run.runId());
  }

  /** As {@link #publish(RunContext, TaskPlan)}, for file datasets and tables. */
  public void publish(String runId) {
    if (storage.format() == StorageFormat.DELTA) {
      throw new IllegalStateException("a Delta dataset is published with the run and task that label its commit");
    }
    if (storage.format() == StorageFormat.TABLE) {
      store.publishTable(staging, storage);
    } else {
      if (marker.isPresent()) {
        store.removeMarker(staging);
      }
      store.publishFiles(staging, target, runId, dataset, rows, schema);
    }
  }

  private StructType writtenSchema() {
    return DatasetStore.parsedSchema(schema);
  }

  public void discard() {
    store.discard(staging);
  }
}
