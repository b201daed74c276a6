package dev.stepwise.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.core.io.ChildJvm;
import dev.stepwise.core.io.StepwiseCommit;
import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real concurrent JVMs writing one Delta dataset: runs of different dates both commit (Delta's
 * optimistic concurrency on disjoint partitions, and a bounded retry for the table's very first
 * commit, which both may try to make), while a second run of the same task and date is refused by
 * the run lock.
 */
class DeltaConcurrencyTest {
  /** Only a hung child runs into this; it bounds waiting, it asserts nothing about speed. */
  private static final Duration HUNG = Duration.ofMinutes(8);
  private static final LocalDate DAY = LocalDate.parse("2026-11-21");
  private static SparkSession spark;
  @TempDir static Path scratch;

  @BeforeAll
  static void startSpark() {
    spark = DeltaPipeline.session(scratch.resolve("spark"));
    spark.sparkContext().setLogLevel("ERROR");
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  @Test
  void runsOfDifferentDatesWriteTheSameTableAtOnce() throws Exception {
    int retried = 0;
    for (int round = 0; round < 2; round++) {
      DeltaPipeline pipeline = new DeltaPipeline(scratch.resolve("dates-" + round));
      Map<LocalDate, Integer> rows = new TreeMap<>(Map.of(DAY, 3 + round, DAY.plusDays(1), 5));
      for (Map.Entry<LocalDate, Integer> day : rows.entrySet()) {
        pipeline.deliverEvents(day.getKey(), day.getValue());
      }
      // Round 0 starts on no table, so both runs try to make version 0; round 1 on a table that exists.
      if (round == 1) {
        pipeline.deliverEvents(DAY.minusDays(1), 1);
        pipeline.run(spark, "double", DAY.minusDays(1));
        rows.put(DAY.minusDays(1), 1);
      }
      Path signals = Files.createDirectories(pipeline.root.resolve("signals"));
      List<Process> children = new ArrayList<>();
      List<Path> traces = new ArrayList<>();
      for (LocalDate date : List.of(DAY, DAY.plusDays(1))) {
        Path trace = signals.resolve("trace-" + date);
        traces.add(trace);
        children.add(ChildJvm.start(DeltaPipeline.class, List.of("-Dstepwise.crash-trace=" + trace),
            signals.resolve("child-" + date + ".log"), pipeline.root.toString(), "double", date.toString(),
            signals.toString()));
      }
      awaitFiles(signals, "ready-", 2, children);
      Files.writeString(signals.resolve("go"), "");
      for (int i = 0; i < children.size(); i++) {
        assertTrue(children.get(i).waitFor(HUNG.toMinutes(), TimeUnit.MINUTES), "child " + i + " hung");
        assertEquals(0, children.get(i).exitValue(), "round " + round + ", child " + i + ":\n"
            + Files.readString(signals.resolve("child-" + (i == 0 ? DAY : DAY.plusDays(1)) + ".log")));
      }
      for (Path trace : traces) {
        retried += (int) Files.readAllLines(trace).stream().filter(l -> l.startsWith("delta.commit#")).count() - 1;
      }

      Map<LocalDate, Integer> held = new TreeMap<>();
      for (Row r : spark.read().format("delta").load(pipeline.doubled().toString()).groupBy("run_date").count()
          .collectAsList()) {
        held.put(r.getDate(0).toLocalDate(), (int) r.getLong(1));
      }
      assertEquals(rows, held, "round " + round);
      Map<LocalDate, Integer> commitsByDate = new TreeMap<>();
      for (Row r : DeltaTable.forPath(spark, pipeline.doubled().toString()).history().select("userMetadata")
          .collectAsList()) {
        LocalDate date = StepwiseCommit.parse(r.getString(0)).flatMap(StepwiseCommit::runDate).orElseThrow();
        commitsByDate.merge(date, 1, Integer::sum);
      }
      assertEquals(rows.keySet(), commitsByDate.keySet(), "one labelled commit per run: " + commitsByDate);
      assertTrue(commitsByDate.values().stream().allMatch(n -> n == 1), commitsByDate.toString());
    }
    System.out.println("DeltaConcurrencyTest: commits tried again after losing to the other run: " + retried);
  }

  @Test
  void theSameTaskAndDateIsRefusedWhileARunHoldsIt() throws Exception {
    DeltaPipeline pipeline = new DeltaPipeline(scratch.resolve("same-date"));
    pipeline.deliverEvents(DAY, 3);
    Path signals = Files.createDirectories(pipeline.root.resolve("signals"));
    Files.writeString(signals.resolve("go"), "");
    Path trace = signals.resolve("trace-holder");
    // The holder stops just before its commit, holding the lock, until it is killed.
    Process holder = ChildJvm.start(DeltaPipeline.class, List.of("-Dstepwise.crash-trace=" + trace,
        "-Dstepwise.pause-at=delta.commit:" + HUNG.toMillis()), signals.resolve("holder.log"),
        pipeline.root.toString(), "double", DAY.toString(), signals.toString());
    try {
      long deadline = System.nanoTime() + HUNG.toNanos();
      while (!(Files.exists(trace) && Files.readString(trace).contains("delta.commit#1"))) {
        assertTrue(holder.isAlive(), "the holder ended early:\n" + Files.readString(signals.resolve("holder.log")));
        assertTrue(System.nanoTime() < deadline, "the holder never reached its commit");
        Thread.sleep(50);
      }
      Process second = ChildJvm.start(DeltaPipeline.class, List.of(), signals.resolve("second.log"),
          pipeline.root.toString(), "double", DAY.toString(), signals.toString());
      assertTrue(second.waitFor(HUNG.toMinutes(), TimeUnit.MINUTES), "the second run hung");
      String log = Files.readString(signals.resolve("second.log"));
      assertEquals(3, second.exitValue(), "the second run of the same task and date must be refused:\n" + log);
      assertTrue(log.contains("refused: ") && log.contains(DAY.toString()), log);
    } finally {
      holder.destroyForcibly().waitFor();
    }
    assertTrue(!Files.exists(pipeline.doubled().resolve("_delta_log"))
        || Files.list(pipeline.doubled().resolve("_delta_log")).noneMatch(p -> p.toString().endsWith(".json")),
        "the killed holder committed nothing");
    // The killed holder's lock is taken over: the next run of that date goes through.
    pipeline.run(spark, "double", DAY);
    assertEquals(3, spark.read().format("delta").load(pipeline.doubled().toString()).count());
  }

  private static void awaitFiles(Path folder, String prefix, int count, List<Process> children)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + HUNG.toNanos();
    while (true) {
      long ready;
      try (var files = Files.list(folder)) {
        ready = files.filter(p -> p.getFileName().toString().startsWith(prefix)).count();
      }
      if (ready >= count) {
        return;
      }
      for (Process child : children) {
        assertTrue(child.isAlive(), "a child ended before the start signal (exit " + (child.isAlive() ? "" : child.exitValue()) + ")");
      }
      assertTrue(System.nanoTime() < deadline, "children never got ready");
      Thread.sleep(50);
    }
  }
}
