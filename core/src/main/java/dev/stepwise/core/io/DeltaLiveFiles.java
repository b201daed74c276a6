package dev.stepwise.core.io;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.get_json_object;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_json;

import dev.stepwise.core.model.RunDatePartition;
import dev.stepwise.core.model.StorageSpec;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.Snapshot;
import org.apache.spark.sql.types.StructField;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The data files of a Delta dataset that a run reads, or that its commit replaces, in the table's
 * current version: the run date's partition when the table keeps run dates apart, else every file of
 * the table. They come from Delta's own snapshot of the log (checkpoints included), so knowing them
 * scans no data: what a resumed run compares, and what a row guard counts.
 *
 * <p>Delta's snapshot is not a public API of Delta; it is used here alone, against the one Delta
 * version Stepwise is built with ({@code DeltaLiveFilesTest} holds what is read from it).
 */
final class DeltaLiveFiles {
  /** Delta keeps a column's name in the files under this field metadata when column mapping is on. */
  private static final String PHYSICAL_NAME = "delta.columnMapping.physicalName";

  /**
   * One data file as the log describes it.
   *
   * @param deletionVector the rows deleted from it without rewriting it, as the log says ("" for none)
   * @param rows its rows still live, from the file's statistics; empty when the writer kept none
   */
  record LiveFile(String path, long size, long modificationTime, String deletionVector, OptionalLong rows) {
    String describe() {
      return path + " " + size + " " + modificationTime + (deletionVector.isEmpty() ? "" : " dv " + deletionVector);
    }
  }

  private final long version;
  private final String schema;
  private final List<String> partitionColumns;
  /** The run date asked for, when the files are its partition's only; empty for every file of the table. */
  private final Optional<RunDatePartition> runDate;
  /** Whether the files are exactly what a read of the dataset sees (not so when its run-date column is no partition). */
  private final boolean exact;
  private final List<LiveFile> files;

  private DeltaLiveFiles(long version, String schema, List<String> partitionColumns,
      Optional<RunDatePartition> runDate, boolean exact, List<LiveFile> files) {
    this.version = version;
    this.schema = schema;
    this.partitionColumns = List.copyOf(partitionColumns);
    this.runDate = runDate;
    this.exact = exact;
    this.files = files.stream().sorted(Comparator.comparing(LiveFile::path)).toList();
  }

  /**
   * The live files of the dataset's table (of its run date, when it has a run-date column); empty
   * when there is no table yet.
   *
   * @throws DeltaTableException when the folder is not a Delta table or its log cannot be read
   */
  static Optional<DeltaLiveFiles> of(SparkSession spark, StorageSpec storage, String dataset) {
    DeltaTables.requireTableOrNothing(spark, storage, dataset);
    if (!DeltaTables.holdsTable(spark, storage, dataset)) {
      return Optional.empty();
    }
    try {
      Snapshot snapshot = DeltaLog.forTableWithSnapshot(spark, storage.location())._2();
      List<String> partitions = CollectionConverters.asJava(snapshot.metadata().partitionColumns());
      Dataset<Row> all = snapshot.allFiles().toDF();
      Optional<String> runDateColumn = storage.runDatePartition().flatMap(p -> physicalName(snapshot, p));
      Dataset<Row> wanted = runDateColumn.isEmpty() ? all : all.where(col("partitionValues").getItem(
          runDateColumn.get()).equalTo(lit(storage.runDatePartition().get().requireDate().toString())));
      List<LiveFile> files = wanted.select(col("path"), col("size"), col("modificationTime"),
              to_json(col("deletionVector")), get_json_object(col("stats"), "$.numRecords").cast("long"),
              col("deletionVector.cardinality"))
          .collectAsList().stream().map(DeltaLiveFiles::file).toList();
      return Optional.of(new DeltaLiveFiles(snapshot.version(), snapshot.metadata().schemaString(), partitions,
          runDateColumn.isPresent() ? storage.runDatePartition() : Optional.empty(),
          storage.runDatePartition().isEmpty() || runDateColumn.isPresent(), files));
    } catch (Exception e) { // Delta's and Hadoop's exceptions arrive undeclared through Scala
      throw DeltaTables.unreadableLog(dataset, storage.location(), e);
    }
  }

  /** The column that holds the run date as Delta names it in the log; empty when it is not a partition column. */
  private static Optional<String> physicalName(Snapshot snapshot, RunDatePartition partition) {
    for (StructField field : snapshot.metadata().partitionSchema().fields()) {
      if (field.name().toLowerCase(Locale.ROOT).equals(partition.column().toLowerCase(Locale.ROOT))) {
        return Optional.of(field.metadata().contains(PHYSICAL_NAME) ? field.metadata().getString(PHYSICAL_NAME)
            : field.name());
      }
    }
    return Optional.empty();
  }

  private static LiveFile file(Row row) {
    OptionalLong rows = OptionalLong.empty();
    if (!row.isNullAt(4)) {
      rows = OptionalLong.of(row.getLong(4) - (row.isNullAt(5) ? 0 : row.getLong(5)));
    }
    return new LiveFile(row.getString(0), row.getLong(1), row.getLong(2), row.isNullAt(3) ? "" : row.getString(3),
        rows);
  }

  long version() {
    return version;
  }

  List<LiveFile> files() {
    return files;
  }

  /**
   * The rows a read of the dataset gets, from the files' statistics alone; empty when a file has
   * none, or when the files are more than the run date asked for.
   */
  OptionalLong rowsFromStatistics() {
    if (!exact) {
      return OptionalLong.empty();
    }
    long sum = 0;
    for (LiveFile file : files) {
      if (file.rows().isEmpty()) {
        return OptionalLong.empty();
      }
      sum += file.rows().getAsLong();
    }
    return OptionalLong.of(sum);
  }

  /**
   * What decides the rows a read of these files gets, and nothing else: the table's columns and
   * partitioning and the identity of every file (path, size, time written, deleted rows). The table's
   * version is left out, so a commit that touches only other run dates leaves it as it was.
   */
  String stamp(String location) {
    StringBuilder text = new StringBuilder("delta ").append(location)
        .append("\nschema ").append(schema)
        .append("\npartitioned by ").append(partitionColumns)
        .append(runDate.map(d -> "\nfiles of " + d.column() + "=" + d.requireDate()).orElse("\nevery file"));
    files.forEach(f -> text.append('\n').append(f.describe()));
    return text.toString();
  }
}
