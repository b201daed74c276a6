package dev.stepwise.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.core.io.ChildJvm;
import dev.stepwise.core.io.CrashPoints;
import dev.stepwise.core.io.DatasetStore;
import dev.stepwise.core.io.Preflight;
import dev.stepwise.core.model.RunContext;
import dev.stepwise.core.model.StorageSpec;
import dev.stepwise.core.quality.ExpectationFailedException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Halts a real run (a JVM of its own, real Spark) at every write, rename and delete it performs,
 * one moment per JVM, as {@code kill -9} would. After each: a Stepwise reader (pre-flight, then a
 * read) sees the complete old or the complete new version of every output and leaves no publish
 * half-done, and the next run of the task publishes the new version and leaves nothing behind.
 *
 * <p>The moments are not listed here: a first run traces every {@link CrashPoints} point it meets,
 * in order, and each traced moment gets its own halted run. Every point of {@link CrashPoints#ALL}
 * must be met by the successful run or by a run whose expectation fails (which discards its staging).
 * Every run starts from one prepared state: the old version published (5 rows), a new delivery (8
 * rows), the lock of a dead run and a staging folder a killed run left.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrashPointTest {
  private static final List<Integer> OLD = IntStream.rangeClosed(1, 5).boxed().toList();
  private static final List<Integer> NEW = IntStream.rangeClosed(1, 8).boxed().toList();
  private static final String FAILING = "expectations { few { row_count { max = 6 } } }";

  private Path work;
  private SparkSession spark;

  @BeforeAll
  void start() throws IOException {
    work = Files.createTempDirectory("stepwise-crash-points-");
    spark = TinyPipeline.session(work.resolve("spark"));
    spark.sparkContext().setLogLevel("ERROR");
  }

  @AfterAll
  void stop() throws IOException {
    spark.stop();
    deleteTree(work);
  }

  /** A scenario: where its runs write, and the prepared state each of them starts from. */
  private record Scenario(String name, String doubledExtra, TinyPipeline pipeline, Path prepared, boolean succeeds) {}

  /** One halted run: its own copy of the scenario's prepared state, and the moment it halts at. */
  private record Halt(Scenario scenario, String moment, TinyPipeline pipeline, String label) {}

  /** Halted runs are independent JVMs on copies of their own: two at a time keeps both cores busy. */
  private static final int CONCURRENT_CHILDREN = 2;

  @Test
  void everyCrashPointLeavesOldOrNewAndTheNextProcessRepairs() throws Exception {
    Scenario succeeding = prepare("succeeding", "", true);
    Scenario failing = prepare("failing", FAILING, false);
    List<String> succeedingMoments = trace(succeeding);
    List<String> failingMoments = trace(failing);
    Set<String> met = new LinkedHashSet<>();
    Stream.concat(succeedingMoments.stream(), failingMoments.stream()).forEach(m -> met.add(m.split("#")[0]));
    assertEquals(List.of(), CrashPoints.ALL.stream().filter(p -> !met.contains(p)).toList(),
        "every crash point is met by one of the runs: succeeding " + succeedingMoments + ", failing " + failingMoments);

    List<Halt> halts = new ArrayList<>();
    for (String moment : succeedingMoments) {
      halts.add(copyFor(succeeding, moment, halts.size(), moment));
    }
    for (String moment : failingMoments) {
      if (succeedingMoments.stream().anyMatch(m -> m.split("#")[0].equals(moment.split("#")[0]))) {
        continue; // the same step of a run, already halted above
      }
      halts.add(copyFor(failing, moment, halts.size(), moment + " (failing run)"));
    }
    Map<String, Integer> outcomes = new LinkedHashMap<>();
    List<String> lines = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT_CHILDREN);
    try {
      List<Future<Integer>> codes = new ArrayList<>();
      for (Halt halt : halts) {
        codes.add(pool.submit(() -> halt(halt)));
      }
      // Each halt is checked as soon as its JVM is gone, while the next ones run: the dead run's pid
      // in a lock must not live long enough to be given to another process.
      for (int i = 0; i < halts.size(); i++) {
        String seen = checkAndRepair(halts.get(i), codes.get(i).get());
        outcomes.merge(seen, 1, Integer::sum);
        lines.add(halts.get(i).label() + " -> " + seen);
      }
    } finally {
      pool.shutdownNow();
    }
    lines.forEach(l -> System.out.println("  halted at " + l));
    System.out.printf("crash points: %d points, %d moments halted, readers saw %s; every next run repaired%n",
        CrashPoints.ALL.size(), lines.size(), outcomes);
  }

  private Scenario prepare(String name, String doubledExtra, boolean succeeds) throws Exception {
    TinyPipeline pipeline = new TinyPipeline(work.resolve(name), doubledExtra);
    pipeline.deliverEvents(OLD.size());
    pipeline.run(spark, "double");
    assertEquals(OLD, doubledIds(pipeline), "the old version is published");
    pipeline.deliverEvents(NEW.size());
    Path target = pipeline.doubledTarget();
    writeDeadRunLock(target);
    Path leftover = Files.createDirectories(target.resolveSibling("." + target.getFileName() + ".stepwise-staging-killed"));
    Files.writeString(leftover.resolve("part-00000.parquet"), "half written");
    Path prepared = work.resolve(name + "-prepared");
    copyTree(pipeline.root, prepared, null);
    return new Scenario(name, doubledExtra, pipeline, prepared, succeeds);
  }

  private List<String> trace(Scenario scenario) throws Exception {
    restore(scenario);
    writeDeadRunLock(scenario.pipeline().doubledTarget());
    Path trace = work.resolve(scenario.name() + "-trace.txt");
    int code = runChild(scenario.pipeline(), List.of("-Dstepwise.crash-trace=" + trace), scenario.name() + "-trace");
    assertEquals(scenario.succeeds() ? 0 : 1, code, "the traced " + scenario.name() + " run");
    return Files.readAllLines(trace);
  }

  /** A copy of the scenario's prepared state in a folder of its own, with a config that points at it. */
  private Halt copyFor(Scenario scenario, String moment, int index, String label) throws IOException {
    TinyPipeline copy = new TinyPipeline(work.resolve(scenario.name() + "-halt-" + index), scenario.doubledExtra());
    copyTree(scenario.prepared(), copy.root, scenario.prepared().resolve(copy.config.getFileName().toString()));
    return new Halt(scenario, moment, copy, label);
  }

  /** Runs one halted JVM on its copy, with a dead run's lock written just before; its exit code. */
  private int halt(Halt halt) throws Exception {
    writeDeadRunLock(halt.pipeline().doubledTarget());
    return runChild(halt.pipeline(), List.of("-Dstepwise.crash-at=" + halt.moment()),
        halt.scenario().name() + "-" + halt.moment());
  }

  /**
   * The lock a killed run left: its process is gone. Written right before a run, because pids are
   * reused (on a busy machine within minutes) and a reused pid would make the dead run look alive.
   */
  private static void writeDeadRunLock(Path target) throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Files.writeString(target.resolveSibling("." + target.getFileName() + ".stepwise-lock"), "host="
        + InetAddress.getLocalHost().getHostName() + "\npid=" + gone.pid() + "\nrun=killed\nsince=2026-11-21T03:00:00Z\n");
  }

  /** What a reader sees after the halt and that the next run repairs; returns "old" or "new". */
  private String checkAndRepair(Halt halt, int code) throws Exception {
    Scenario scenario = halt.scenario();
    String moment = halt.moment();
    assertEquals(CrashPoints.HALT_STATUS, code, "the run halted at " + moment);
    TinyPipeline pipeline = halt.pipeline();
    Path target = pipeline.doubledTarget();

    RunContext run = RunContext.of(TinyPipeline.RUN_DATE, Map.of());
    assertEquals(List.of(), Preflight.missingInputs(pipeline.task("tally"), run, spark.sparkContext().hadoopConfiguration()),
        "after a halt at " + moment + ", pre-flight of the next task finds its input");
    assertTrue(!Files.exists(target.resolveSibling("." + target.getFileName() + ".stepwise-publish")),
        "after a halt at " + moment + ", the reader finished the publish under way");
    List<Integer> seen = doubledIds(pipeline);
    assertTrue(seen.equals(OLD) || seen.equals(NEW) && scenario.succeeds(),
        "after a halt at " + moment + " a reader sees the complete old or new version, saw " + seen);

    if (scenario.succeeds()) {
      pipeline.run(spark, "double");
      assertEquals(NEW, doubledIds(pipeline), "after a halt at " + moment + " the next run publishes the new version");
    } else {
      assertThrows(ExpectationFailedException.class, () -> pipeline.run(spark, "double"));
      assertEquals(OLD, doubledIds(pipeline), "after a halt at " + moment + " a failing run leaves the old version");
    }
    try (Stream<Path> siblings = Files.list(target.getParent())) {
      assertEquals(List.of(target.getFileName().toString()), siblings.map(p -> p.getFileName().toString()).toList(),
          "after a halt at " + moment + " and the next run, no lock, journal, staging or old version is left");
    }
    assertTrue(Files.isRegularFile(target.resolve("_STEPWISE")), "the published version carries Stepwise's marker");
    return seen.equals(OLD) ? "old" : "new";
  }

  private int runChild(TinyPipeline pipeline, List<String> properties, String name) throws Exception {
    Path log = work.resolve(name.replaceAll("[^A-Za-z0-9_.-]", "_") + ".log");
    Process child = ChildJvm.start(TinyPipeline.class, properties, log, pipeline.root.toString(), "double");
    assertTrue(child.waitFor(10, TimeUnit.MINUTES), "the run " + name + " ended");
    return child.exitValue();
  }

  private List<Integer> doubledIds(TinyPipeline pipeline) {
    StorageSpec storage = pipeline.task("double").writes().get(0).storage();
    StorageSpec resolved = RunContext.of(TinyPipeline.RUN_DATE, Map.of()).resolve(storage, "doubled");
    List<Row> rows = new DatasetStore(spark).read(resolved).collectAsList();
    for (Row row : rows) {
      assertEquals(row.getInt(row.fieldIndex("id")) * 2, row.getInt(row.fieldIndex("n")), "a whole, doubled row");
    }
    return rows.stream().map(r -> r.getInt(r.fieldIndex("id"))).sorted().toList();
  }

  private void restore(Scenario scenario) throws IOException {
    deleteTree(scenario.pipeline().root);
    copyTree(scenario.prepared(), scenario.pipeline().root, null);
  }

  /** Copies a tree, all but {@code except} (a file of {@code from}, or null). */
  private static void copyTree(Path from, Path to, Path except) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path source : all.toList()) {
        if (source.equals(except)) {
          continue;
        }
        Path copy = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(copy);
        } else {
          Files.copy(source, copy, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
