package dev.stepwise.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.core.io.DatasetStore;
import dev.stepwise.core.io.ForeignDataException;
import dev.stepwise.core.model.RunContext;
import dev.stepwise.core.model.StorageSpec;
import dev.stepwise.core.problem.InvalidConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** What a publish refuses to do: replace a folder it did not write, or good data by far fewer rows. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PublishSafetyTest {
  private SparkSession spark;
  @TempDir Path dir;

  @BeforeAll
  void start(@TempDir Path scratch) {
    spark = TinyPipeline.session(scratch);
    spark.sparkContext().setLogLevel("ERROR");
  }

  @AfterAll
  void stop() {
    spark.stop();
  }

  /** Folders and files a user might keep where a dataset is to be published. */
  private static final List<Map<String, String>> USER_LAYOUTS = List.of(
      Map.of("report.csv", "a,b\n1,2\n"),
      Map.of("nested/deeper/notes.txt", "keep me"),
      Map.of(".hidden", "secret", "_SUCCESS", ""),
      Map.of("part-00000.parquet", "not even parquet", "_stepwise_complete", "looks like ours, is not"),
      Map.of("empty-but-mine/.keep", ""),
      Map.of("", "a plain file where a folder is expected"));

  @Test
  void aFolderStepwiseDidNotWriteIsNeverMovedOrDeleted() throws IOException {
    int refused = 0;
    for (int i = 0; i < USER_LAYOUTS.size(); i++) {
      TinyPipeline pipeline = new TinyPipeline(dir.resolve("foreign-" + i), "");
      pipeline.deliverEvents(4);
      Path target = pipeline.doubledTarget();
      for (Map.Entry<String, String> file : USER_LAYOUTS.get(i).entrySet()) {
        Path path = file.getKey().isEmpty() ? target : target.resolve(file.getKey());
        Files.createDirectories(path.getParent());
        Files.writeString(path, file.getValue());
      }
      Map<String, String> before = snapshot(target.getParent());
      ForeignDataException e = assertThrows(ForeignDataException.class, () -> pipeline.run(spark, "double"),
          "layout " + USER_LAYOUTS.get(i));
      assertTrue(e.getMessage().contains("'doubled'") && e.getMessage().contains(target.toString())
          && e.getMessage().contains("move it away or delete it yourself"), e.getMessage());
      assertEquals(before, snapshot(target.getParent()), "the user's files are untouched and nothing was left beside them");
      refused++;
    }
    System.out.println("ownership marker: " + refused + " user layouts at a dataset's place, all left untouched");
  }

  @Test
  void aGuardKeepsTheLastVersionWhenFarFewerRowsWouldReplaceIt() throws IOException {
    TinyPipeline pipeline = new TinyPipeline(dir.resolve("guarded"), "guard { min_rows = 3, max_drop = 0.5 }");
    pipeline.deliverEvents(8);
    pipeline.run(spark, "double");
    assertEquals(8, rows(pipeline));
    assertTrue(Files.readString(pipeline.doubledTarget().resolve("_STEPWISE")).contains("rows=8"),
        "the marker keeps the published row count");
    // 3 rows: more than half fewer than 8.
    pipeline.deliverEvents(3);
    GuardFailedException drop = assertThrows(GuardFailedException.class, () -> pipeline.run(spark, "double"));
    assertTrue(drop.getMessage().contains("'doubled'") && drop.getMessage().contains("max_drop")
        && drop.getMessage().contains("tiny.conf:"), drop.getMessage());
    assertEquals(8, rows(pipeline), "nothing was published");
    // 4 rows: exactly half, allowed; then 2 rows: fewer than min_rows, whatever the last count.
    pipeline.deliverEvents(4);
    pipeline.run(spark, "double");
    assertEquals(4, rows(pipeline));
    pipeline.deliverEvents(2);
    GuardFailedException few = assertThrows(GuardFailedException.class, () -> pipeline.run(spark, "double"));
    assertTrue(few.getMessage().contains("fewer than guard.min_rows = 3"), few.getMessage());
    assertEquals(4, rows(pipeline));
    try (Stream<Path> siblings = Files.list(pipeline.doubledTarget().getParent())) {
      assertEquals(List.of(pipeline.doubledTarget().getFileName().toString()),
          siblings.map(p -> p.getFileName().toString()).filter(n -> !n.contains("staging")).toList(),
          "no lock or journal is left by a refused publish");
    }
  }

  @Test
  void badGuardValuesAreConfigErrorsWithFileAndLine() throws IOException {
    List<String> bad = List.of("guard { min_rows = -1 }", "guard { min_rows = 2.5 }", "guard { min_rows = lots }",
        "guard { max_drop = 1 }", "guard { max_drop = 1.5 }", "guard { max_drop = -0.1 }",
        "guard { max_drop = half }", "guard {}", "guard { min_row = 1 }", "guard = 5", "guard { max_drop = [0.5] }");
    for (int i = 0; i < bad.size(); i++) {
      TinyPipeline pipeline = new TinyPipeline(dir.resolve("bad-guard-" + i), bad.get(i));
      InvalidConfigException e = assertThrows(InvalidConfigException.class, pipeline::plan, bad.get(i));
      assertTrue(e.getMessage().matches("(?s).*tiny\\.conf: ?\\d+.*") && e.getMessage().contains("guard"),
          bad.get(i) + " -> " + e.getMessage());
    }
    System.out.println("guard config: " + bad.size() + " bad values, each an error with file:line");
  }

  @Test
  void aWriteThatFailsLeavesNoStagingFolder() throws IOException {
    TinyPipeline pipeline = new TinyPipeline(dir.resolve("failing-write"), "", "fail_while_writing");
    pipeline.deliverEvents(4);
    assertThrows(StepFailedException.class, () -> pipeline.run(spark, "double"));
    Path parent = pipeline.doubledTarget().getParent();
    List<String> left = new ArrayList<>();
    if (Files.exists(parent)) {
      try (Stream<Path> siblings = Files.list(parent)) {
        siblings.forEach(p -> left.add(p.getFileName().toString()));
      }
    }
    assertEquals(List.of(), left, "neither a staging folder nor a lock is left");
  }

  @Test
  void preflightNamesASourceWithoutADataFile() throws IOException {
    TinyPipeline pipeline = new TinyPipeline(dir.resolve("hollow-source"), "");
    Path source = dir.resolve("hollow-source/raw/events/run_date=" + TinyPipeline.RUN_DATE);
    Files.createDirectories(source.resolve("hour=00"));
    Files.createFile(source.resolve("events.json"));
    List<String> missing = dev.stepwise.core.io.Preflight.missingInputs(pipeline.task("double"),
        RunContext.of(TinyPipeline.RUN_DATE, Map.of()), spark.sparkContext().hadoopConfiguration());
    assertEquals(1, missing.size(), missing.toString());
    assertTrue(missing.get(0).contains("input 'events' has no data file at " + source)
        && missing.get(0).contains("it is a source"), missing.get(0));
  }

  private long rows(TinyPipeline pipeline) {
    StorageSpec storage = pipeline.task("double").writes().get(0).storage();
    return new DatasetStore(spark).read(RunContext.of(TinyPipeline.RUN_DATE, Map.of()).resolve(storage, "doubled")).count();
  }

  private static Map<String, String> snapshot(Path root) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.toList()) {
        files.put(root.relativize(p).toString(), Files.isRegularFile(p) ? Files.readString(p) : "<folder>");
      }
    }
    return files;
  }
}
