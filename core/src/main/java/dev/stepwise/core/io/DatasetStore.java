package dev.stepwise.core.io;

import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import dev.stepwise.core.model.StorageFormat;
import dev.stepwise.core.model.StorageSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;

/**
 * Reads and writes datasets for one SparkSession. Writes are staged: the data goes to a hidden
 * sibling of its final place and is moved there only by {@link StagedOutput#publish()}, which the
 * task runner calls once every step of the task has succeeded. A failed task publishes nothing and
 * the previous run's data stays as it was.
 */
public final class DatasetStore {
  private static final String STAGING_MARK = ".stepwise-staging-";
  private final SparkSession spark;

  public DatasetStore(SparkSession spark) {
    this.spark = spark;
  }

  /**
   * A lazy read of a dataset whose location is already resolved. A publish of it that a killed run
   * left half-way is finished first (see {@link PublishRepair}), so the read sees a whole version.
   */
  public Dataset<Row> read(StorageSpec storage) {
    return read(storage, storage.location());
  }

  /**
   * As {@link #read(StorageSpec)}; {@code dataset} names the dataset in errors. A Delta dataset is
   * read at its newest version: one run date's rows when it keeps run dates apart, else all of it.
   */
  public Dataset<Row> read(StorageSpec storage, String dataset) {
    if (storage.format() == StorageFormat.TABLE) {
      return spark.table(storage.location());
    }
    if (storage.format() == StorageFormat.DELTA) {
      return DeltaTables.read(spark, located(storage, dataset), dataset);
    }
    PublishRepair.settle(new Path(storage.location()), hadoop());
    DataFrameReader reader = spark.read().format(storage.format().configName()).options(storage.options());
    writtenSchema(storage).ifPresent(reader::schema);
    // Text formats need the schema to parse; self-describing ones are read as they are and then held
    // to the contract, so a missing column fails instead of reading as nulls.
    if (storage.format() == StorageFormat.CSV || storage.format() == StorageFormat.JSON) {
      storage.schema().ifPresent(reader::schema);
      // Spark's default, PERMISSIVE, reads a value that does not fit its declared type as null: data
      // silently lost. Unless the dataset's options choose a mode, a bad record fails the task.
      if (storage.schema().isPresent() && storage.options().keySet().stream().noneMatch("mode"::equalsIgnoreCase)) {
        reader = reader.option("mode", "FAILFAST");
      }
    }
    return reader.load(storage.location());
  }

  /**
   * The schema Stepwise wrote a folder's files with, kept in its owner marker, where reading with it
   * gives what Spark would infer, or where inference has nothing to go by:
   * <ul>
   *   <li>an unpartitioned parquet folder read without schema merging: Spark infers its schema by
   *       running a job over the files' footers, the one Spark job a downstream task paid per input
   *       before its steps ran (the monolith it is measured against names the schema too);
   *   <li>a folder of no rows, in any file format but text: a json folder of no rows would read as no
   *       columns at all and a partitioned one not at all, so an empty dataset that crosses tasks
   *       would change the result with the grouping.
   * </ul>
   * Only folders Stepwise published, named without wildcards; anything else is inferred as before.
   */
  private Optional<StructType> writtenSchema(StorageSpec storage) {
    boolean wildcards = storage.location().chars().anyMatch(c -> "*?[]{}\\".indexOf(c) >= 0);
    if (storage.format() == StorageFormat.TEXT || wildcards) {
      return Optional.empty();
    }
    boolean inferenceMatches = storage.format() == StorageFormat.PARQUET && storage.partitionBy().isEmpty()
        && storage.options().keySet().stream().noneMatch("mergeSchema"::equalsIgnoreCase);
    try {
      Path folder = new Path(storage.location());
      return OwnerMarker.readFrom(folder.getFileSystem(hadoop()), folder)
          .filter(marker -> inferenceMatches || marker.rows() == 0)
          .flatMap(OwnerMarker::schema)
          .map(DatasetStore::parsedSchema);
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // an unreadable marker costs the inference, nothing else
    }
  }

  /** A schema as Spark's JSON (what markers keep) back as the struct it describes. */
  static StructType parsedSchema(String json) {
    return (StructType) org.apache.spark.sql.types.DataType.fromJson(json);
  }

  /** Computes {@code data} and writes it to a staging location, counting rows on the way. */
  public StagedOutput stage(Dataset<Row> data, StorageSpec unlocated, String dataset, String runId) {
    StorageSpec storage = located(unlocated, dataset);
    Observation rows = new Observation("rows_" + dataset.replaceAll("[^A-Za-z0-9_]", "_"));
    Dataset<Row> observed = data.observe(rows, count(lit(1)).as("rows"));
    Path target = storage.format() == StorageFormat.TABLE
        ? new Path(warehouseStaging(runId), storage.location())
        : targetOf(storage);
    Path staging = stagingOf(target, runId);
    if (storage.format() == StorageFormat.DELTA) {
      DeltaTables.requireNoRunDateColumn(storage, dataset, data.schema());
    }
    DataFrameWriter<Row> writer = observed.write().mode(SaveMode.ErrorIfExists)
        .format(stagingFormat(storage).configName())
        .options(stagingOptions(storage));
    // Delta's partitions are made by its commit; its staging is plain parquet, read back in column order.
    if (!storage.partitionBy().isEmpty() && storage.format() != StorageFormat.DELTA) {
      writer = writer.partitionBy(storage.partitionBy().toArray(String[]::new));
    }
    CrashPoints.reach(CrashPoints.STAGING_WRITE);
    try {
      writer.save(staging.toString());
    } catch (RuntimeException e) {
      discardAfterFailedWrite(staging, e);
      throw e;
    } catch (Exception e) { // Hadoop's IOExceptions arrive undeclared through Scala
      discardAfterFailedWrite(staging, e);
      throw new UncheckedIOException(new IOException("writing " + dataset + " to " + staging + " failed: "
          + e.getMessage(), e));
    }
    CrashPoints.reach(CrashPoints.STAGING_WRITTEN);
    return new StagedOutput(this, storage, dataset, staging, target, rowsOf(rows), data.schema().json(),
        Optional.empty());
  }

  /** A failed write leaves no staging folder behind, not even an empty one. */
  private void discardAfterFailedWrite(Path staging, Exception failure) {
    try {
      staging.getFileSystem(hadoop()).delete(staging, true);
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  private org.apache.hadoop.conf.Configuration hadoop() {
    return spark.sparkContext().hadoopConfiguration();
  }

  /**
   * The storage of a Delta dataset named by a catalog table at the table's folder (see
   * {@link CatalogDeltaTables}); any other storage as it is. {@code dataset} names it in errors.
   *
   * @throws DeltaTableException when the catalog's table of that name is not a Delta table, or its
   *     folder is outside the dataset's root
   */
  public StorageSpec located(StorageSpec storage, String dataset) {
    return storage.isUnlocatedTable() ? CatalogDeltaTables.locate(spark, storage, dataset) : storage;
  }

  /**
   * Where a dataset ends up: its path, or for a table a place in the warehouse to lock on. A Delta
   * table that keeps run dates apart has one such place per run date beside it (its lock, staging
   * and leftovers are named after it), so runs of different dates write the same table at once.
   */
  public Path targetOf(StorageSpec unlocated) {
    StorageSpec storage = located(unlocated, unlocated.table().orElse(unlocated.location()));
    if (storage.format() == StorageFormat.TABLE) {
      return new Path(spark.conf().get("spark.sql.warehouse.dir"), "_stepwise_tables/" + storage.location());
    }
    Path path = new Path(storage.location());
    return storage.format() == StorageFormat.DELTA && storage.runDatePartition().isPresent()
        ? new Path(path.getParent(), path.getName() + "@" + storage.runDatePartition().get().column() + "="
            + storage.runDatePartition().get().requireDate())
        : path;
  }

  /** Tables and Delta datasets are staged as plain parquet; file formats as themselves. */
  private static StorageFormat stagingFormat(StorageSpec storage) {
    return storage.format() == StorageFormat.TABLE || storage.format() == StorageFormat.DELTA
        ? StorageFormat.PARQUET : storage.format();
  }

  private static Map<String, String> stagingOptions(StorageSpec storage) {
    return stagingFormat(storage) == storage.format() ? storage.options() : Map.of();
  }

  /**
   * Clears what a killed or failed run left beside {@code target}: hidden staging folders are
   * removed, and if a kill fell between moving the old data aside and moving the new data in, the
   * old data is put back. Call only while holding the {@link RunLock} of the target.
   */
  public void recover(Path target) {
    recover(target, null, "", marker -> false);
  }

  /**
   * As {@link #recover(Path)}, but keeps the newest staging folder whose completeness marker
   * {@code reusable} accepts, renamed to this run's staging place; every other leftover goes.
   *
   * @param storage the resolved storage of the dataset staged there
   * @return the kept staging, to publish with this run's outputs or to discard
   */
  public Optional<StagedOutput> recover(Path target, StorageSpec storage, String runId,
      Predicate<StagingMarker> reusable) {
    try {
      FileSystem fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(target.getParent())) {
        return Optional.empty();
      }
      PublishRepair.repairHoldingLock(fs, target);
      String prefix = "." + target.getName() + ".stepwise-";
      FileStatus[] leftovers = fs.listStatus(target.getParent(),
          p -> p.getName().startsWith(prefix + "staging-") || p.getName().startsWith(prefix + "previous-")
              || p.getName().startsWith(prefix + "publish.tmp-"));
      Arrays.sort(leftovers, Comparator.comparingLong(FileStatus::getModificationTime));
      Optional<StagedOutput> kept = Optional.empty();
      for (int i = leftovers.length - 1; i >= 0; i--) {
        Path leftover = leftovers[i].getPath();
        if (leftover.getName().startsWith(prefix + "previous-") || leftover.getName().startsWith(prefix + "publish.tmp-")) {
          CrashPoints.reach(CrashPoints.RECOVER_DELETE_LEFTOVER);
          fs.delete(leftover, true); // the repair above put back any old version that was needed
          continue;
        }
        Optional<StagingMarker> marker = kept.isEmpty() ? StagingMarker.readFrom(fs, leftover) : Optional.empty();
        if (marker.isPresent() && reusable.test(marker.get())) {
          Path staging = stagingOf(target, runId);
          if (!fs.rename(leftover, staging)) {
            throw new IOException("cannot move " + leftover + " to " + staging);
          }
          kept = Optional.of(new StagedOutput(this, storage, marker.get().dataset(), staging, target,
              marker.get().rows(), marker.get().schema(), marker));
        } else {
          CrashPoints.reach(CrashPoints.RECOVER_DELETE_LEFTOVER);
          fs.delete(leftover, true);
        }
      }
      return kept;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clear leftovers of an earlier run beside " + target, e);
    }
  }

  /**
   * What a run knows of an input's contents without reading it: every file under its location with
   * size and modification time (a re-published input changes it); for a Delta dataset, the data files
   * of its run date (or of the whole table) in the table's current version, so a commit to another
   * run date changes nothing; for a table, its name only.
   */
  public String stamp(StorageSpec unlocated) {
    if (unlocated.format() == StorageFormat.TABLE) {
      return "table " + unlocated.location();
    }
    StorageSpec storage = located(unlocated, unlocated.table().orElse(unlocated.location()));
    if (storage.format() == StorageFormat.DELTA) {
      return deltaStamp(storage);
    }
    try {
      Path path = new Path(storage.location());
      FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
      FileStatus[] matches = fs.globStatus(path);
      if (matches == null || matches.length == 0) {
        return "absent " + storage.location();
      }
      List<String> files = new ArrayList<>();
      for (FileStatus match : matches) {
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(match.getPath(), true);
        while (it.hasNext()) {
          LocatedFileStatus f = it.next();
          files.add(f.getPath() + " " + f.getLen() + " " + f.getModificationTime());
        }
      }
      Collections.sort(files);
      return String.join("\n", files);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the files of input " + storage.location(), e);
    }
  }

  /**
   * A Delta input's stamp (see {@link DeltaLiveFiles#stamp}). A folder that is not a table, or a log
   * that cannot be read, gets a stamp no other run has: the read fails with the reason, and nothing
   * staged is reused against it.
   */
  private String deltaStamp(StorageSpec storage) {
    try {
      return DeltaLiveFiles.of(spark, storage, storage.location()).map(files -> files.stamp(storage.location()))
          .orElse("absent delta " + storage.location());
    } catch (DeltaTableException e) {
      return "unreadable delta " + storage.location() + " " + java.util.UUID.randomUUID();
    }
  }

  /**
   * Rows the current version of a Delta dataset holds where this run's commit goes: its run date's
   * partition, or the whole table. Empty when there is no table yet, or no file of that run date (its
   * first run). Counted from the log's file statistics, or by reading where a file has none.
   */
  OptionalLong deltaRows(StorageSpec unlocated, String dataset) {
    StorageSpec storage = located(unlocated, dataset);
    Optional<DeltaLiveFiles> live = DeltaLiveFiles.of(spark, storage, dataset);
    if (live.isEmpty() || (storage.runDatePartition().isPresent() && live.get().files().isEmpty())) {
      return OptionalLong.empty();
    }
    OptionalLong counted = live.get().rowsFromStatistics();
    return counted.isPresent() ? counted : OptionalLong.of(DeltaTables.read(spark, storage, dataset).count());
  }

  void writeMarker(Path staging, StagingMarker marker) {
    try {
      marker.writeInto(staging.getFileSystem(spark.sparkContext().hadoopConfiguration()), staging);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot mark " + staging + " complete", e);
    }
  }

  void removeMarker(Path staging) {
    try {
      StagingMarker.removeFrom(staging.getFileSystem(spark.sparkContext().hadoopConfiguration()), staging);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the completeness marker of " + staging, e);
    }
  }

  /**
   * Staged data read back with the schema it was written with: text formats need it to parse, and
   * partition columns get their written types instead of ones guessed from folder names ("007" stays
   * a string).
   */
  Dataset<Row> readStaged(Path staging, StorageSpec storage, StructType schema) {
    StorageFormat format = stagingFormat(storage);
    DataFrameReader reader = spark.read().format(format.configName()).options(stagingOptions(storage));
    if (format != StorageFormat.TEXT) {
      reader = reader.schema(schema);
    }
    Dataset<Row> data = reader.load(staging.toString());
    // Partition columns come back last and with inferred types: restore the written order and types.
    Column[] columns = Arrays.stream(schema.fields())
        .map(f -> functions.col(f.name()).cast(f.dataType()).as(f.name())).toArray(Column[]::new);
    return data.select(columns);
  }

  private static Path stagingOf(Path target, String runId) {
    return new Path(target.getParent(), "." + target.getName() + STAGING_MARK + runId);
  }

  /**
   * Fails unless the place of a dataset is free or holds a version Stepwise published.
   *
   * @throws ForeignDataException naming the dataset and path
   */
  public void requireReplaceable(Path target, String dataset) {
    requireFileReplaceable(target, dataset);
  }

  /**
   * Fails unless the place of a dataset may be written: for a Delta dataset, nothing or a Delta
   * table (its log is the evidence); for files, as {@link #requireReplaceable(Path, String)}.
   *
   * @throws ForeignDataException or {@link DeltaTableException}, naming the dataset and path
   */
  public void requireReplaceable(StorageSpec unlocated, Path target, String dataset) {
    StorageSpec storage = located(unlocated, dataset);
    if (storage.format() == StorageFormat.TABLE) {
      return;
    }
    if (storage.format() != StorageFormat.DELTA) {
      requireFileReplaceable(target, dataset);
      return;
    }
    DeltaTables.requireTableOrNothing(spark, storage, dataset);
  }

  private void requireFileReplaceable(Path target, String dataset) {
    try {
      OwnerMarker.requireReplaceable(target.getFileSystem(hadoop()), target, dataset);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot look at " + target + ": " + e.getMessage(), e);
    }
  }

  /** Rows of the version published at {@code target}, when Stepwise published and counted them. */
  OptionalLong publishedRows(Path target) {
    try {
      return OwnerMarker.publishedRows(target.getFileSystem(hadoop()), target);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the marker of " + target + ": " + e.getMessage(), e);
    }
  }

  /** Rows in a staging folder, counted by reading it: for when the write's own count did not arrive. */
  long countStaged(Path staging, StorageSpec storage) {
    return spark.read().format(stagingFormat(storage).configName()).options(stagingOptions(storage))
        .load(staging.toString()).count();
  }

  /** Fails unless the staged rows can be committed to the dataset's Delta table as they are. */
  void requireDeltaWritable(Path staging, StorageSpec storage, String dataset, StructType written) {
    DeltaTables.requireWritable(spark, storage, dataset, stagedParquet(staging, written).schema());
  }

  /**
   * Writes rows straight to a Delta dataset in one commit, as a publish does, without staging: for
   * test fixtures that put a source in place.
   */
  public void commitDelta(Dataset<Row> rows, StorageSpec unlocated, StepwiseCommit info) {
    StorageSpec storage = located(unlocated, info.dataset());
    DeltaTables.requireTableOrNothing(spark, storage, info.dataset());
    DeltaTables.requireNoRunDateColumn(storage, info.dataset(), rows.schema());
    DeltaTables.commit(spark, rows, storage, info);
  }

  /** Commits the staged rows to the dataset's Delta table in one commit, then removes the staging. */
  void publishDelta(Path staging, StorageSpec storage, StepwiseCommit info, StructType written) {
    DeltaTables.commit(spark, stagedParquet(staging, written), storage, info);
    discard(staging);
  }

  /**
   * A Delta dataset's staging (plain, unpartitioned parquet) read with the schema it was written
   * with, which is what Spark would infer from it (see {@code PublishedSchemaReadTest}) without the
   * job that infers it.
   */
  private Dataset<Row> stagedParquet(Path staging, StructType written) {
    return spark.read().schema(written).parquet(staging.toString());
  }

  /** Marks the staging as Stepwise's, then moves it in through a {@link PublishJournal}. */
  void publishFiles(Path staging, Path target, String runId, String dataset, long rows, String schema) {
    try {
      FileSystem fs = target.getFileSystem(hadoop());
      OwnerMarker.requireReplaceable(fs, target, dataset);
      new OwnerMarker(runId, dataset, rows, java.time.Instant.now(), Optional.of(schema)).writeInto(fs, staging);
      PublishJournal.publish(fs, staging, target, runId);
    } catch (IOException e) {
      throw new UncheckedIOException("publishing " + target + " failed: " + e.getMessage(), e);
    }
  }

  void publishTable(Path staging, StorageSpec storage) {
    // Inferred, not read with the written schema: a table's staging is partitioned like the table, and
    // insertInto matches columns by position, partition columns last, as inference returns them.
    Dataset<Row> staged = spark.read().parquet(staging.toString());
    if (!storage.partitionBy().isEmpty() && spark.catalog().tableExists(storage.location())) {
      // Replace only the partitions this run wrote: other run dates stay.
      String previousMode = spark.conf().get("spark.sql.sources.partitionOverwriteMode");
      spark.conf().set("spark.sql.sources.partitionOverwriteMode", "dynamic");
      try {
        staged.write().mode(SaveMode.Overwrite).insertInto(storage.location());
      } finally {
        spark.conf().set("spark.sql.sources.partitionOverwriteMode", previousMode);
      }
    } else {
      DataFrameWriter<Row> writer = staged.write().mode(SaveMode.Overwrite).format("parquet")
          .options(storage.options());
      if (!storage.partitionBy().isEmpty()) {
        writer = writer.partitionBy(storage.partitionBy().toArray(String[]::new));
      }
      writer.saveAsTable(storage.location());
    }
    discard(staging);
  }

  void discard(Path staging) {
    try {
      FileSystem fs = staging.getFileSystem(spark.sparkContext().hadoopConfiguration());
      CrashPoints.reach(CrashPoints.DISCARD_STAGING);
      fs.delete(staging, true);
    } catch (IOException e) {
      throw new UncheckedIOException("removing staging data " + staging + " failed", e);
    }
  }

  private Path warehouseStaging(String runId) {
    return new Path(spark.conf().get("spark.sql.warehouse.dir"), "_stepwise_staging/" + runId);
  }

  /** Rows counted by the observation; -1 if Spark did not report them (they come asynchronously). */
  private static long rowsOf(Observation observation) {
    try {
      Object rows = scala.concurrent.Await.result(observation.future(),
          scala.concurrent.duration.Duration.create(10, TimeUnit.SECONDS)).getAs("rows");
      return rows instanceof Number n ? n.longValue() : -1;
    } catch (java.util.concurrent.TimeoutException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
