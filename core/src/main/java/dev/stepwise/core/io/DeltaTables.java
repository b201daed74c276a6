package dev.stepwise.core.io;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.stepwise.core.config.Reasons;
import dev.stepwise.core.model.RunDatePartition;
import dev.stepwise.core.model.StorageSpec;
import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads and publishes Delta datasets by path. A publish is one Delta commit: the staged rows, with
 * the run date filled into the run-date partition column, replace exactly that run date's partition
 * ({@code replaceWhere}), or the whole table when it keeps no run dates apart. The table's
 * {@code _delta_log} is what says the folder is a table Stepwise may write to; Delta folders are
 * never renamed, and no marker file is put inside them.
 */
final class DeltaTables {
  /** Runs of different dates that create the same table at once: all but one lose the first commit. */
  static final int COMMIT_ATTEMPTS = 6;
  private static final Duration BACKOFF = Duration.ofMillis(250);
  static final String LOG = "_delta_log";
  private static final Pattern COMMIT_FILE = Pattern.compile("\\d{20}\\.(json|checkpoint.*\\.parquet)");
  /** A data file Delta's writer names (part-...parquet), or Hadoop's hidden checksum of one. */
  private static final Pattern UNCOMMITTED_DATA_FILE = Pattern.compile("\\.?part-[^/]*\\.parquet(\\.crc)?");
  /** A partition folder: column=value, as Spark names them (the column never starts with '_' or '.'). */
  private static final Pattern UNCOMMITTED_PARTITION = Pattern.compile("[^_.=][^=]*=.*");
  private static final List<String> SCHEMA_CHANGING_OPTIONS = List.of("mergeschema", "overwriteschema");

  private DeltaTables() {}

  /** What a Delta dataset's folder holds. */
  enum Found {
    /** No folder, an empty one, or a log without any commit: the first publish creates the table. */
    ABSENT,
    /** A log with at least one commit. */
    TABLE,
    /** Files that are not a Delta table (plain parquet, for one). */
    FOREIGN
  }

  static Found inspect(FileSystem fs, Path table) throws IOException {
    if (!fs.exists(table)) {
      return Found.ABSENT;
    }
    if (!fs.getFileStatus(table).isDirectory()) {
      return Found.FOREIGN;
    }
    Path log = new Path(table, LOG);
    boolean hasLog = fs.exists(log) && fs.getFileStatus(log).isDirectory();
    if (hasLog && Arrays.stream(fs.listStatus(log)).anyMatch(f -> COMMIT_FILE.matcher(f.getPath().getName()).matches())) {
      return Found.TABLE;
    }
    // Delta makes a new table's log folder before it writes the data files of the first commit: a
    // writer killed in between leaves those files and no commit. No reader sees a table there, and the
    // next commit makes version 0 without them (they stay, unreferenced, for VACUUM): absent, not foreign.
    // The files are left alone: another run's first commit may be writing them right now.
    if (hasLog) {
      return onlyUncommittedDataFiles(fs, table, true) ? Found.ABSENT : Found.FOREIGN;
    }
    return fs.listStatus(table).length == 0 ? Found.ABSENT : Found.FOREIGN;
  }

  /**
   * Whether {@code folder} holds nothing but what Delta's writer puts in a table before committing:
   * data files (parquet, and Hadoop's hidden checksums of them) and partition folders
   * ({@code column=value}) of the same; never a marker of a finished write such as {@code _SUCCESS}.
   */
  private static boolean onlyUncommittedDataFiles(FileSystem fs, Path folder, boolean top) throws IOException {
    for (FileStatus child : fs.listStatus(folder)) {
      String name = child.getPath().getName();
      if (top && name.equals(LOG)) {
        continue;
      }
      boolean ok = child.isDirectory()
          ? UNCOMMITTED_PARTITION.matcher(name).matches() && onlyUncommittedDataFiles(fs, child.getPath(), false)
          : UNCOMMITTED_DATA_FILE.matcher(name).matches();
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** The rows of one run date (or the whole table), without the run-date column. */
  static Dataset<Row> read(SparkSession spark, StorageSpec storage, String dataset) {
    Path table = new Path(storage.location());
    Found found = found(spark, table, dataset);
    if (found == Found.FOREIGN) {
      throw notATable(spark, dataset, table);
    }
    if (found == Found.ABSENT) {
      throw new DeltaTableException(dataset, storage.location(), "there is no Delta table there (no commit in its "
          + LOG + "); write it first");
    }
    Dataset<Row> data;
    try {
      // The whole log is read now, not when a later step computes: a corrupt log fails here, named.
      DeltaTable.forPath(spark, storage.location()).detail().first();
      data = spark.read().format("delta").options(storage.options()).load(storage.location());
    } catch (Exception e) { // Delta reads the log here; Hadoop's IOExceptions arrive undeclared
      throw unreadableLog(dataset, storage.location(), e);
    }
    if (storage.runDatePartition().isEmpty()) {
      return data;
    }
    RunDatePartition partition = storage.runDatePartition().get();
    return data.where(col(partition.column()).equalTo(lit(partition.requireDate()))).drop(partition.column());
  }

  /**
   * Fails, before anything is committed, unless the staged rows can become the next version of the
   * table as they are: the folder is free or a Delta table whose log reads, whose columns are the
   * staged ones (plus the run-date column) with the same types, and whose partition columns are the
   * config's.
   */
  static void requireWritable(SparkSession spark, StorageSpec storage, String dataset, StructType staged) {
    Path table = new Path(storage.location());
    Found found = found(spark, table, dataset);
    if (found == Found.FOREIGN) {
      throw notATable(spark, dataset, table);
    }
    if (found == Found.ABSENT) {
      return;
    }
    StructType tableSchema;
    List<String> tablePartitions;
    try {
      DeltaTable delta = DeltaTable.forPath(spark, storage.location());
      tableSchema = delta.toDF().schema();
      tablePartitions = delta.detail().select("partitionColumns").first().getList(0);
    } catch (Exception e) {
      throw unreadableLog(dataset, storage.location(), e);
    }
    if (!sameNames(tablePartitions, storage.partitionBy())) {
      throw new DeltaTableException(dataset, storage.location(), "the table is partitioned by " + tablePartitions
          + " but the config says partition_by = " + storage.partitionBy() + "; nothing was committed. Use the"
          + " table's partitioning in the config, or write to a new path");
    }
    boolean schemaMayChange = storage.options().entrySet().stream().anyMatch(
        o -> SCHEMA_CHANGING_OPTIONS.contains(o.getKey().toLowerCase(Locale.ROOT)) && o.getValue().equalsIgnoreCase("true"));
    Map<String, String> written = columns(staged);
    storage.runDatePartition().ifPresent(p -> written.put(p.column().toLowerCase(Locale.ROOT), "date"));
    Map<String, String> existing = columns(tableSchema);
    if (!schemaMayChange && !written.equals(existing)) {
      throw new DeltaTableException(dataset, storage.location(), "the table's columns are " + describe(existing)
          + " but this run writes " + describe(written) + "; nothing was committed. Make the step produce the"
          + " table's columns (the dataset's schema is its contract), or set options { mergeSchema = \"true\" }"
          + " to add columns");
    }
  }

  /** Fails when the dataset's folder holds files that are not a Delta table. */
  static void requireTableOrNothing(SparkSession spark, StorageSpec storage, String dataset) {
    Path table = new Path(storage.location());
    if (found(spark, table, dataset) == Found.FOREIGN) {
      throw notATable(spark, dataset, table);
    }
  }

  /** Whether the dataset's folder holds a Delta table with at least one commit. */
  static boolean holdsTable(SparkSession spark, StorageSpec storage, String dataset) {
    return found(spark, new Path(storage.location()), dataset) == Found.TABLE;
  }

  /** Fails when the rows already have the column Stepwise fills with the run date. */
  static void requireNoRunDateColumn(StorageSpec storage, String dataset, StructType rows) {
    storage.runDatePartition().ifPresent(p -> {
      if (Arrays.stream(rows.fieldNames()).anyMatch(n -> n.equalsIgnoreCase(p.column()))) {
        throw new DeltaTableException(dataset, storage.location(), "its rows already have a column '" + p.column()
            + "', which Stepwise fills with the run date (run_date_column); rename or drop that column in the step");
      }
    });
  }

  /**
   * Makes the staged rows the dataset's next version in one Delta commit labelled with {@code info}.
   * A commit lost to a concurrent writer (two runs creating the table at once, say) is tried again,
   * {@link #COMMIT_ATTEMPTS} times in all: replacing a run date's partition twice gives the same table.
   */
  static void commit(SparkSession spark, Dataset<Row> staged, StorageSpec storage, StepwiseCommit info) {
    Dataset<Row> rows = staged;
    DataFrameWriter<Row> writer;
    Map<String, String> options = new LinkedHashMap<>(storage.options());
    options.put("userMetadata", info.toJson());
    if (storage.runDatePartition().isPresent()) {
      RunDatePartition partition = storage.runDatePartition().get();
      rows = staged.withColumn(partition.column(), lit(partition.requireDate()));
      options.put("replaceWhere", "`" + partition.column().replace("`", "``") + "` = DATE'" + partition.requireDate() + "'");
    }
    writer = rows.write().format("delta").mode(SaveMode.Overwrite).options(options);
    if (!storage.partitionBy().isEmpty()) {
      writer = writer.partitionBy(storage.partitionBy().toArray(String[]::new));
    }
    List<String> lost = new ArrayList<>();
    for (int attempt = 1; ; attempt++) {
      boolean creating = false;
      try {
        CrashPoints.reach(CrashPoints.DELTA_COMMIT);
        creating = storage.table().isPresent() && !CatalogDeltaTables.exists(spark, storage.table().get());
        if (creating) {
          CatalogDeltaTables.create(spark, creator(rows, storage, options), storage, info.toJson());
        } else {
          writer.save(storage.location());
        }
        return;
      } catch (Exception e) { // Delta's own exceptions and Hadoop's IOExceptions arrive undeclared through Scala
        Optional<Throwable> conflict = concurrentModification(e);
        if (conflict.isEmpty() && creating && CatalogDeltaTables.exists(spark, storage.table().get())) {
          conflict = Optional.of(e); // another run created the catalog table first: commit into it
        }
        if (conflict.isEmpty()) {
          throw e instanceof RuntimeException r ? r : new UncheckedIOException(new IOException(
              "committing to the Delta table of '" + info.dataset() + "' at " + storage.location() + " failed: "
                  + e.getMessage(), e));
        }
        lost.add(conflict.get().getClass().getSimpleName());
        if (attempt == COMMIT_ATTEMPTS) {
          throw new DeltaTableException(info.dataset(), storage.location(), "its commit lost to concurrent writers "
              + COMMIT_ATTEMPTS + " times (" + String.join(", ", lost) + "); nothing of this run is in the table."
              + " Run again when the other writers are done", e);
        }
        sleep(BACKOFF.multipliedBy(attempt));
      }
    }
  }

  /** The writer that creates a catalog table from the rows: no run date to replace in a table not there yet. */
  private static DataFrameWriter<Row> creator(Dataset<Row> rows, StorageSpec storage, Map<String, String> options) {
    Map<String, String> creating = new LinkedHashMap<>(options);
    creating.remove("replaceWhere");
    DataFrameWriter<Row> writer = rows.write().format("delta").mode(SaveMode.ErrorIfExists).options(creating);
    return storage.partitionBy().isEmpty() ? writer : writer.partitionBy(storage.partitionBy().toArray(String[]::new));
  }

  /** Delta's conflicts all extend {@link java.util.ConcurrentModificationException}. */
  private static Optional<Throwable> concurrentModification(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.util.ConcurrentModificationException) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  private static void sleep(Duration pause) {
    try {
      Thread.sleep(pause.toMillis() + (long) (Math.random() * BACKOFF.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting to commit again", e);
    }
  }

  private static Found found(SparkSession spark, Path table, String dataset) {
    try {
      return inspect(table.getFileSystem(spark.sparkContext().hadoopConfiguration()), table);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot look at the Delta table of '" + dataset + "' at " + table + ": "
          + e.getMessage(), e);
    }
  }

  private static DeltaTableException notATable(SparkSession spark, String dataset, Path table) {
    String what = "files that are not a Delta table";
    try {
      FileSystem fs = table.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (fs.exists(new Path(table, OwnerMarker.FILE_NAME))) {
        what = "a plain (non-Delta) dataset Stepwise published there before";
      } else if (Arrays.stream(fs.listStatus(table)).anyMatch(f -> f.getPath().getName().endsWith(".parquet"))) {
        what = "plain parquet files";
      }
    } catch (IOException | RuntimeException e) {
      // The description is a courtesy; the refusal stands without it.
    }
    return new DeltaTableException(dataset, table.toString(), "the folder holds " + what + " (no commit in "
        + LOG + "), so nothing is read from or committed to it. Move those files away, convert them"
        + " (CONVERT TO DELTA parquet.`" + table + "`), or give the dataset another path");
  }

  static DeltaTableException unreadableLog(String dataset, String path, Exception e) {
    return new DeltaTableException(dataset, path, "its Delta log (" + LOG + ") cannot be read: " + Reasons.of(e)
        + "; nothing was read from or committed to it. Restore the log from a backup, or move the table away", e);
  }

  private static Map<String, String> columns(StructType schema) {
    Map<String, String> columns = new LinkedHashMap<>();
    for (StructField field : schema.fields()) {
      columns.put(field.name().toLowerCase(Locale.ROOT), field.dataType().catalogString().toLowerCase(Locale.ROOT));
    }
    return columns;
  }

  private static boolean sameNames(List<String> a, List<String> b) {
    return a.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList()
        .equals(b.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList());
  }

  private static String describe(Map<String, String> columns) {
    return "(" + String.join(", ", columns.entrySet().stream().map(c -> c.getKey() + " " + c.getValue()).toList()) + ")";
  }
}
