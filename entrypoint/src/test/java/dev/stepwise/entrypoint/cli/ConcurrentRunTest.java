package dev.stepwise.entrypoint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.testing.SparkTest;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two runs of one task and run date never write at once, and what a killed run leaves behind is
 * cleared by the next one. The other run is simulated by the lock file it would leave.
 */
@SparkTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConcurrentRunTest {
  private static final String DAY = "run_date=" + ExamplePipeline.RUN_DATE;
  private final SparkSession spark;
  private ExamplePipeline pipeline;
  private Path target;

  ConcurrentRunTest(SparkSession spark) {
    this.spark = spark;
  }

  @BeforeAll
  void generate(@TempDir Path dir) {
    pipeline = new ExamplePipeline(Cli.withSession(spark), dir);
    pipeline.generate(100);
    target = dir.resolve("work/classified_payments/" + DAY);
  }

  private Cli.Result runIngest() {
    return pipeline.command("run", "--task", "ingest", "--grouping", "daily", "--run-date", ExamplePipeline.RUN_DATE);
  }

  private void leaveLock(long pid) throws IOException {
    Files.createDirectories(target.getParent());
    Files.writeString(target.resolveSibling("." + target.getFileName() + ".stepwise-lock"),
        "host=" + InetAddress.getLocalHost().getHostName() + "\npid=" + pid + "\nrun=other\nsince=2026-11-21T03:00:00Z\n");
  }

  @Test
  @Order(1)
  void aSecondRunOfTheSameTaskAndDateFailsAtOnceNamingTheFirst() throws IOException {
    leaveLock(ProcessHandle.current().pid());
    Cli.Result result = runIngest();
    assertEquals(ExitCodes.RUN_FAILED, result.exitCode(), result.toString());
    assertTrue(result.err().contains("is being written by run other (pid " + ProcessHandle.current().pid()), result.toString());
    assertFalse(Files.exists(target), "the refused run wrote nothing");
    Files.delete(target.resolveSibling("." + target.getFileName() + ".stepwise-lock"));
  }

  @Test
  @Order(2)
  void aLockLeftByAKilledRunIsTakenOverAndItsLeftoversCleared() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    leaveLock(gone.pid());
    Path staging = target.resolveSibling("." + target.getFileName() + ".stepwise-staging-killed");
    Files.createDirectories(staging);
    Files.writeString(staging.resolve("part-0.parquet"), "half written");

    Cli.Result result = runIngest();
    assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
    assertTrue(Files.isRegularFile(target.resolve("_SUCCESS")));
    try (var siblings = Files.list(target.getParent())) {
      assertEquals(List.of(DAY), siblings.map(p -> p.getFileName().toString()).toList(),
          "no lock, staging or previous folder is left");
    }
  }

  @Test
  @Order(3)
  void dataMovedAsideByAKilledPublishIsPutBack() throws Exception {
    List<String> before = ExamplePipeline.rows(spark, target, "parquet");
    Path aside = target.resolveSibling("." + target.getFileName() + ".stepwise-previous-killed");
    Files.move(target, aside);
    new dev.stepwise.core.io.DatasetStore(spark).recover(new org.apache.hadoop.fs.Path(target.toString()));
    assertFalse(Files.exists(aside));
    assertEquals(before, ExamplePipeline.rows(spark, target, "parquet"), "the last published data is back in place");
  }

  @Test
  @Order(4)
  void twoRunDatesOfOneTaskRunSideBySide() throws Exception {
    Cli.Result other = pipeline.command("generate", "--run-date", "2026-11-22", "--events", "100");
    assertEquals(ExitCodes.OK, other.exitCode(), other.toString());
    var first = java.util.concurrent.CompletableFuture.supplyAsync(this::runIngest);
    var second = java.util.concurrent.CompletableFuture.supplyAsync(() -> pipeline.command("run", "--task", "ingest",
        "--grouping", "daily", "--run-date", "2026-11-22"));
    assertEquals(ExitCodes.OK, first.get().exitCode(), first.get().toString());
    assertEquals(ExitCodes.OK, second.get().exitCode(), second.get().toString());
    assertTrue(Files.isRegularFile(target.resolve("_SUCCESS")));
    assertTrue(Files.isRegularFile(target.resolveSibling("run_date=2026-11-22").resolve("_SUCCESS")));
  }

  @Test
  @Order(5)
  void aLockItsKilledHolderNeverWroteItsNameIntoIsTakenOver() throws Exception {
    // kill -9 between creating the lock file and writing into it leaves it empty; it used to block
    // every later run of the task for 12 hours.
    Path lock = target.resolveSibling("." + target.getFileName() + ".stepwise-lock");
    Files.createFile(lock);
    Cli.Result result = runIngest();
    assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
    assertFalse(Files.exists(lock), "the run released the lock it took over");
  }
}
