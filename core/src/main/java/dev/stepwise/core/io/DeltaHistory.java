package dev.stepwise.core.io;

import io.delta.tables.DeltaTable;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The versions of a Delta table stored under a path, each with the Stepwise run that made it, and
 * the restore of one of them. Needs a session with Delta's extension and catalog.
 */
public final class DeltaHistory {
  /** Delta's session setting that puts user metadata on the next commits of the session. */
  static final String COMMIT_METADATA = "spark.databricks.delta.commitInfo.userMetadata";

  private final SparkSession spark;

  public DeltaHistory(SparkSession spark) {
    this.spark = spark;
  }

  /** Whether {@code path} holds a Delta table (a {@code _delta_log} with at least one commit). */
  public boolean exists(String path) {
    return DeltaTable.isDeltaTable(spark, path);
  }

  /** Whether {@code path} exists but holds no Delta table (plain files, say): a misconfigured dataset. */
  public boolean holdsOtherData(String path) {
    try {
      org.apache.hadoop.fs.Path folder = new org.apache.hadoop.fs.Path(path);
      return folder.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(folder) && !exists(path);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot look at " + path + ": " + e.getMessage(), e);
    }
  }

  /** Every version the table's log still holds, oldest first. */
  public List<TableCommit> commits(String path) {
    List<Row> rows = DeltaTable.forPath(spark, path).history()
        .select("version", "timestamp", "operation", "userMetadata")
        .orderBy("version")
        .collectAsList();
    return rows.stream().map(row -> new TableCommit(row.getLong(0), instant(row.get(1)),
        row.isNullAt(2) ? "UNKNOWN" : row.getString(2),
        row.isNullAt(3) ? Optional.empty() : StepwiseCommit.parse(row.getString(3)))).toList();
  }

  /** Spark hands timestamps out as java.sql.Timestamp, or as Instant when its Java 8 time API is on. */
  private static Instant instant(Object timestamp) {
    return timestamp instanceof Timestamp t ? t.toInstant() : (Instant) timestamp;
  }

  /**
   * Restores {@code version} as a new commit that says, in its user metadata, which run it undid.
   */
  public void restore(String path, long version, StepwiseCommit rollback) {
    restore(DeltaTable.forPath(spark, path), version, rollback);
  }

  /**
   * As {@link #restore(String, long, StepwiseCommit)} for a located Delta dataset: a table named in
   * the catalog is restored by its name ({@code RESTORE TABLE db.name}), one by path by its folder.
   */
  public void restore(dev.stepwise.core.model.StorageSpec located, long version, StepwiseCommit rollback) {
    restore(located.table().map(name -> DeltaTable.forName(spark, name))
        .orElseGet(() -> DeltaTable.forPath(spark, located.location())), version, rollback);
  }

  private void restore(DeltaTable table, long version, StepwiseCommit rollback) {
    String previous = spark.conf().getOption(COMMIT_METADATA).getOrElse(() -> null);
    spark.conf().set(COMMIT_METADATA, rollback.toJson());
    try {
      table.restoreToVersion(version);
    } finally {
      if (previous == null) {
        spark.conf().unset(COMMIT_METADATA);
      } else {
        spark.conf().set(COMMIT_METADATA, previous);
      }
    }
  }
}
