package dev.stepwise.core.io;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.core.model.StorageFormat;
import dev.stepwise.core.model.StorageSpec;
import io.delta.tables.DeltaTable;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a run knows of a Delta dataset without reading its data, on real tables changed by generated
 * sequences of commits (Stepwise's own, plain appends and deletes by another writer, with and without
 * file statistics, with and without deletion vectors): one run date's stamp changes exactly when a
 * commit changes that date's files, the whole table's on every commit that changes a file, and the
 * rows counted from the log are the rows a read gets.
 */
class DeltaLiveFilesTest {
  private static final LocalDate WATCHED = LocalDate.parse("2026-11-21");
  private static final List<LocalDate> DATES = List.of(WATCHED, WATCHED.minusDays(1), WATCHED.plusDays(1));
  private static final String STATS = "spark.databricks.delta.stats.collect";
  private static final int COMMITS = 16;
  private static SparkSession spark;
  private static DatasetStore store;
  @TempDir static Path scratch;

  @BeforeAll
  static void startSpark() {
    spark = dev.stepwise.core.run.DeltaPipeline.session(scratch);
    spark.sparkContext().setLogLevel("ERROR");
    store = new DatasetStore(spark);
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  /** A commit a test makes; {@code date} is the run date it writes to or deletes from. */
  private enum Kind { STEPWISE_REPLACE, APPEND, DELETE_ONE_ROW, ENABLE_DELETION_VECTORS }

  private record Commit(Kind kind, LocalDate date, int rows, int files, boolean stats) {
    @Override
    public String toString() {
      return kind + " " + date + " rows=" + rows + " files=" + files + (stats ? "" : " without statistics");
    }
  }

  @Test
  void aRunDatesStampChangesExactlyWhenACommitChangesThatDatesFiles() {
    String table = scratch.resolve("by-date").toString();
    StorageSpec watched = byDate(table, WATCHED);
    StorageSpec whole = new StorageSpec(StorageFormat.DELTA, table, Map.of(), Optional.empty(), List.of("run_date"));
    Random random = new Random(1621);
    Map<LocalDate, List<Integer>> model = new TreeMap<>();
    commit(table, new Commit(Kind.STEPWISE_REPLACE, WATCHED, 4, 2, true), model, random);
    int kept = 0;
    int changed = 0;
    int fromStatistics = 0;
    int counted = 0;
    DeltaLiveFiles watchedBefore = live(watched);
    DeltaLiveFiles wholeBefore = live(whole);
    for (int i = 0; i < COMMITS; i++) {
      Commit commit = next(random, model);
      commit(table, commit, model, random);
      DeltaLiveFiles watchedAfter = live(watched);
      DeltaLiveFiles wholeAfter = live(whole);
      String step = "commit " + i + " (" + commit + ")";
      assertTrue(wholeAfter.version() > wholeBefore.version(), step + " made a commit");

      boolean filesChanged = commit.kind() != Kind.ENABLE_DELETION_VECTORS;
      boolean touchesWatched = filesChanged && commit.date().equals(WATCHED);
      String stampBefore = watchedBefore.stamp(table);
      if (touchesWatched) {
        assertNotEquals(stampBefore, watchedAfter.stamp(table), step + " changed the watched date's files");
        changed++;
      } else {
        assertEquals(stampBefore, watchedAfter.stamp(table), step + " left the watched date's files alone");
        kept++;
      }
      assertEquals(filesChanged, !wholeBefore.stamp(table).equals(wholeAfter.stamp(table)),
          step + ": the whole table's stamp");
      assertEquals(store.stamp(watched), watchedAfter.stamp(table), step + ": a run's stamp is these files'");

      long watchedRows = model.getOrDefault(WATCHED, List.of()).size();
      assertEquals(watchedRows, readRows(watched), step + ": the model agrees with a read");
      assertEquals(watchedRows, store.deltaRows(watched, "watched").orElse(0), step + ": rows of the watched date");
      long allRows = model.values().stream().mapToLong(List::size).sum();
      wholeAfter.rowsFromStatistics().ifPresent(rows -> assertEquals(allRows, rows, step + ": rows of the table"));
      OptionalLong statistics = watchedAfter.rowsFromStatistics();
      if (statistics.isPresent()) {
        assertEquals(watchedRows, statistics.getAsLong(), step + ": rows from the files' statistics");
        fromStatistics++;
      } else {
        counted++;
      }
      if (commit.kind() == Kind.STEPWISE_REPLACE && commit.date().equals(WATCHED)) {
        assertEquals(commit.stats(), statistics.isPresent(), step + ": a replaced date's files all have statistics,"
            + " or none has");
      }
      watchedBefore = watchedAfter;
      wholeBefore = wholeAfter;
    }
    assertTrue(kept >= 4 && changed >= 4 && fromStatistics >= 2 && counted >= 2,
        "both directions and both ways of counting were tried: kept " + kept + ", changed " + changed
            + ", from statistics " + fromStatistics + ", counted " + counted);
    System.out.println("delta live files: " + COMMITS + " generated commits; the watched date's stamp kept " + kept
        + " times and changed " + changed + " times; its rows from statistics " + fromStatistics + " times, counted "
        + counted + " times");
  }

  @Test
  void anUnpartitionedTablesStampChangesOnEveryCommitAndItsRowsAreCountedFromTheLog() {
    String table = scratch.resolve("whole").toString();
    StorageSpec whole = StorageSpec.files(StorageFormat.DELTA, table);
    assertEquals(OptionalLong.empty(), store.deltaRows(whole, "whole"), "no table yet");
    Random random = new Random(1622);
    List<String> stamps = new ArrayList<>();
    stamps.add(store.stamp(whole));
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      int choice = ids.isEmpty() ? 0 : random.nextInt(3);
      boolean stats = random.nextInt(3) > 0;
      List<Integer> appended = List.of(100 + i, 200 + i);
      withStatistics(stats, () -> {
        if (choice == 0) {
          ids.clear();
          int rows = 1 + random.nextInt(6); // an empty table overwritten by no rows would rightly keep its stamp
          for (int id = 1; id <= rows; id++) {
            ids.add(id);
          }
          store.commitDelta(rows(ids, 1 + random.nextInt(2)), whole, info("whole", Optional.empty()));
        } else if (choice == 1) {
          rows(appended, 1).write().format("delta").mode("append").save(table);
          ids.addAll(appended);
        } else {
          int id = ids.remove(random.nextInt(ids.size()));
          DeltaTable.forPath(spark, table).delete(col("id").equalTo(lit(id)));
        }
      });
      String stamp = store.stamp(whole);
      assertTrue(stamps.stream().noneMatch(stamp::equals), "commit " + i + " (" + choice + ") gave a new stamp");
      stamps.add(stamp);
      assertEquals(ids.size(), store.deltaRows(whole, "whole").orElseThrow(), "commit " + i);
      assertEquals(ids.size(), spark.read().format("delta").load(table).count(), "commit " + i + ": a read");
    }
  }

  /** The next commit: any kind, any date, so that runs of commits leave the watched date alone. */
  private static Commit next(Random random, Map<LocalDate, List<Integer>> model) {
    LocalDate date = DATES.get(random.nextInt(DATES.size()));
    int pick = random.nextInt(10);
    Kind kind = pick < 4 ? Kind.STEPWISE_REPLACE : pick < 7 ? Kind.APPEND
        : pick < 9 ? Kind.DELETE_ONE_ROW : Kind.ENABLE_DELETION_VECTORS;
    if (kind == Kind.DELETE_ONE_ROW && model.getOrDefault(date, List.of()).isEmpty()) {
      kind = Kind.APPEND; // nothing to delete there: a delete would change no file
    }
    return new Commit(kind, date, 1 + random.nextInt(5), 1 + random.nextInt(3), random.nextInt(4) > 0);
  }

  private void commit(String table, Commit commit, Map<LocalDate, List<Integer>> model, Random random) {
    List<Integer> ids = model.computeIfAbsent(commit.date(), d -> new ArrayList<>());
    withStatistics(commit.stats(), () -> {
      switch (commit.kind()) {
        case STEPWISE_REPLACE -> {
          // Ids may repeat those the date had: the same rows rewritten into new files change the stamp too.
          ids.clear();
          for (int id = 1; id <= commit.rows(); id++) {
            ids.add(id);
          }
          store.commitDelta(rows(ids, commit.files()), byDate(table, commit.date()),
              info("by_date", Optional.of(commit.date())));
        }
        case APPEND -> {
          List<Integer> added = new ArrayList<>();
          for (int k = 0; k < commit.rows(); k++) {
            added.add(1000 + random.nextInt(1000));
          }
          rows(added, commit.files()).withColumn("run_date", lit(commit.date())).write().format("delta")
              .mode("append").save(table);
          ids.addAll(added);
        }
        case DELETE_ONE_ROW -> {
          int id = ids.get(random.nextInt(ids.size()));
          ids.removeIf(x -> x == id);
          DeltaTable.forPath(spark, table).delete(col("run_date").equalTo(lit(commit.date()))
              .and(col("id").equalTo(lit(id))));
        }
        case ENABLE_DELETION_VECTORS -> spark.sql("ALTER TABLE delta.`" + table + "` SET TBLPROPERTIES"
            + " ('delta.enableDeletionVectors' = '" + (random.nextBoolean() ? "true" : "false") + "')");
      }
    });
  }

  private static void withStatistics(boolean on, Runnable action) {
    spark.conf().set(STATS, Boolean.toString(on));
    try {
      action.run();
    } finally {
      spark.conf().unset(STATS);
    }
  }

  private static StorageSpec byDate(String table, LocalDate date) {
    return new StorageSpec(StorageFormat.DELTA, table, Map.of(), Optional.empty(), List.of("run_date"))
        .withRunDateColumn("run_date").onRunDate(date);
  }

  private static Dataset<Row> rows(List<Integer> ids, int files) {
    return spark.createDataset(ids, Encoders.INT()).toDF("id").withColumn("n", col("id").multiply(3))
        .repartition(files);
  }

  private static StepwiseCommit info(String dataset, Optional<LocalDate> date) {
    return new StepwiseCommit("live_files", "test", "(test)", "run-" + System.nanoTime(), date, "0".repeat(64),
        dataset);
  }

  private static long readRows(StorageSpec storage) {
    return store.read(storage, "watched").count();
  }

  private static DeltaLiveFiles live(StorageSpec storage) {
    return DeltaLiveFiles.of(spark, storage, "watched").orElseThrow();
  }
}
