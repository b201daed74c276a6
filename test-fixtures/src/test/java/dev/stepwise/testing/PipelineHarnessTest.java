package dev.stepwise.testing;

import static dev.stepwise.testing.DatasetAssertions.assertDatasetEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.core.model.Grouping;
import dev.stepwise.core.model.TaskSpec;
import dev.stepwise.core.problem.InvalidConfigException;
import dev.stepwise.core.step.StepCatalog;
import dev.stepwise.core.step.StepOutputs;
import dev.stepwise.core.step.StepType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

@SparkTest
class PipelineHarnessTest {
  private static final Path CONFIG = TestData.resource("words/words.conf");
  private static final LocalDate RUN_DATE = LocalDate.of(2026, 11, 21);

  private final SparkSession spark;
  private final Path dir;

  PipelineHarnessTest(SparkSession spark, @TestDir Path dir) {
    this.spark = spark;
    this.dir = dir;
  }

  private PipelineHarness harness(String root) {
    PipelineHarness harness = PipelineHarness.builder(spark, CONFIG)
        .storageRoot(dir.resolve(root))
        .runDate(RUN_DATE)
        .catalog(WordSteps.catalog())
        .build();
    harness.source("raw_lines", TestData.lines(spark, "The quick brown fox", "jumps over the lazy dog", "", "the fox"));
    // Columns in another order than the source's schema: the harness writes them in schema order.
    harness.source("stop_words", TestData.table(spark, "language STRING, word STRING").row("en", "the").build());
    return harness;
  }

  private Dataset<Row> expectedCounts() {
    return TestData.table(spark, "word STRING, occurrences BIGINT")
        .row("quick", 1L).row("brown", 1L).row("fox", 2L).row("jumps", 1L).row("over", 1L).row("lazy", 1L)
        .row("dog", 1L)
        .build();
  }

  @Test
  void runsAGroupingAndReadsItsOutputsBackFromStorage() {
    PipelineHarness harness = harness("single");

    PipelineRun run = harness.run("single");

    assertEquals(List.of("words"), run.plan().taskNames(), "single names its one task after the pipeline");
    assertEquals(Set.of("word_counts", "long_words"), run.written());
    assertEquals(Set.of("long_words"), run.finalOutputs());
    assertDatasetEquals(expectedCounts(), run.output("word_counts"));
    assertDatasetEquals(TestData.table(spark, "word STRING").row("quick").row("brown").row("jumps").build(),
        run.output("long_words"));
    assertTrue(Files.isDirectory(dir.resolve("single/out/word_counts/run_date=2026-11-21")));
  }

  @Test
  void everyGroupingGivesTheSameOutputs() {
    PipelineRun single = harness("single").run("single");
    for (String grouping : List.of("per-step", "split-apart")) {
      PipelineRun other = harness(grouping).run(grouping);
      for (String output : List.of("word_counts", "long_words")) {
        assertDatasetEquals(single.output(output), other.output(output));
      }
    }
  }

  @Test
  void chosenTasksRunAloneAndFindWhatEarlierTasksWrote() {
    PipelineHarness harness = harness("tasks");

    IllegalStateException early = assertThrows(IllegalStateException.class, () -> harness.run("split-apart", "report"));
    assertEquals("task 'report' of grouping 'split-apart' cannot start:\n  input 'words' has no data at "
        + harness.location("words") + " (it is written by task 'ingest': run that task first)", early.getMessage());

    assertEquals(Set.of("words"), harness.run("split-apart", "ingest").written());
    PipelineRun report = harness.run("split-apart", "report");
    assertEquals(List.of("report"), report.tasks().stream().map(t -> t.task()).toList());
    assertDatasetEquals(expectedCounts(), report.output("word_counts"));
  }

  @Test
  void aCyclicGroupingIsRejectedBeforeAnySparkJob() {
    PipelineHarness harness = harness("cyclic");

    List<String> jobs = SparkJobs.startedBy(spark, () -> {
      InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> harness.run("cyclic"));
      assertTrue(e.getMessage().contains("grouping 'cyclic' makes the task graph cyclic: outer -(words)-> inner"
          + " -(word_counts)-> outer"), e.getMessage());
    });

    assertEquals(List.of(), jobs);
    assertFalse(Files.exists(dir.resolve("cyclic/out")), "nothing written");
  }

  @Test
  void groupingRefusesACyclicGroupingAsPlanAndRunDo() {
    PipelineHarness harness = harness("cyclic-grouping");
    for (var attempt : List.<org.junit.jupiter.api.function.Executable>of(
        () -> harness.grouping("cyclic"), () -> harness.plan("cyclic"), () -> harness.run("cyclic"))) {
      InvalidConfigException e = assertThrows(InvalidConfigException.class, attempt);
      assertTrue(e.getMessage().contains("grouping 'cyclic' makes the task graph cyclic"), e.getMessage());
    }
    assertEquals("split-apart", harness.grouping("split-apart").name());
  }

  @Test
  void tasksRunWithTheHarnessShufflePartitionsAndTheSessionKeepsItsOwn() {
    spark.conf().set("spark.sql.shuffle.partitions", "200");
    PipelineHarness harness = harness("partitions");

    harness.run("single");

    // word_counts comes out of an aggregation: one file per shuffle partition that holds rows.
    try (var files = Files.list(dir.resolve("partitions/out/word_counts/run_date=2026-11-21"))) {
      long parts = files.filter(f -> f.getFileName().toString().startsWith("part-")).count();
      assertTrue(parts <= 2, "at most 2 part files, got " + parts);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    assertEquals("200", spark.conf().get("spark.sql.shuffle.partitions"));
  }

  @Test
  void varyingShufflePartitionsPassesForPartitionInvariantSteps() {
    PipelineRun run = harness("varying").runVaryingShufflePartitions("split-apart", 1, 3, 7);

    assertDatasetEquals(expectedCounts(), run.output("word_counts"));
    assertEquals("2", spark.conf().get("spark.sql.shuffle.partitions"), "the session's setting is back");
  }

  @Test
  void varyingShufflePartitionsNamesATaskWhoseOutputMoves() {
    // count_words replaced by one that records where each word was counted: it moves with partitioning.
    List<StepType> types = new java.util.ArrayList<>();
    for (String name : List.of("split_words", "keep_long_words")) {
      types.add(WordSteps.catalog().find(name).orElseThrow());
    }
    types.add(StepType.named("count_words").inputs("words").outputs("counts").create(p -> inputs ->
        StepOutputs.of("counts", inputs.get("words").groupBy("word").agg(
            org.apache.spark.sql.functions.count("*").plus(org.apache.spark.sql.functions.spark_partition_id())
                .as("occurrences")))));
    PipelineHarness harness = PipelineHarness.builder(spark, CONFIG).storageRoot(dir.resolve("moving"))
        .runDate(RUN_DATE).catalog(StepCatalog.of(types)).build();
    harness.source("raw_lines", TestData.lines(spark, "The quick brown fox", "jumps over the lazy dog", "", "the fox"));
    harness.source("stop_words", TestData.table(spark, "language STRING, word STRING").row("en", "the").build());

    AssertionError e = assertThrows(AssertionError.class, () -> harness.runVaryingShufflePartitions("single", 1, 7));

    assertTrue(e.getMessage().startsWith("task 'words' (steps [split, count, long]) wrote another 'word_counts' with"
        + " spark.sql.shuffle.partitions=7 than with 1:"), e.getMessage());
  }

  @Test
  void aGroupingBuiltInCodeIsCheckedLikeAFile() {
    PipelineHarness harness = harness("code");
    Grouping incomplete = new Grouping("partial", "", List.of(
        new TaskSpec("a", List.of("split", "count"), Map.of(), "test"),
        new TaskSpec("b", List.of("count", "typo"), Map.of(), "test")), "test");

    List<String> jobs = SparkJobs.startedBy(spark, () -> {
      InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> harness.run(incomplete));
      assertEquals("""
          3 config problems:
            test: tasks.b.steps: step 'count' is already in task 'a'; a step belongs to exactly one task
            test: tasks.b.steps: unknown step 'typo'; the pipeline's steps are [split, count, long]
            test: tasks: steps in no task: long; every step of pipeline 'words' must be in one task""",
          e.getMessage());
    });
    assertEquals(List.of(), jobs);

    Grouping twoTasks = new Grouping("by-hand", "", List.of(
        new TaskSpec("first", List.of("split", "count"), Map.of(), "test"),
        new TaskSpec("second", List.of("long"), Map.of(), "test")), "test");
    assertDatasetEquals(expectedCounts(), harness.run(twoTasks).output("word_counts"));
  }

  @Test
  void refusesToWriteOutsideTheTestsStorageRoot() {
    // The config loader itself refuses a path outside pipeline.storage_root, which the harness sets to the test's own.
    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> PipelineHarness.builder(spark, CONFIG)
        .storageRoot(dir).catalog(WordSteps.catalog()).set("datasets.stop_words.path", "/srv/real/stop_words").build());
    assertTrue(e.getMessage().contains("path /srv/real/stop_words is not below its storage root " + dir),
        e.getMessage());
    IllegalStateException ownRoot = assertThrows(IllegalStateException.class, () -> PipelineHarness.builder(spark,
        CONFIG).storageRoot(dir).catalog(WordSteps.catalog()).set("datasets.stop_words.path", "/srv/real/stop_words")
        .set("datasets.stop_words.root", "/srv/real").build());
    assertEquals("datasets stored outside the test's storage root " + dir + ": stop_words at /srv/real/stop_words;"
        + " build their paths from ${pipeline.storage_root} in the pipeline config", ownRoot.getMessage());

    IllegalStateException noRoot = assertThrows(IllegalStateException.class,
        () -> PipelineHarness.builder(spark, CONFIG).catalog(WordSteps.catalog()).build());
    assertTrue(noRoot.getMessage().startsWith("no storage root: call storageRoot(dir)"), noRoot.getMessage());
  }

  @Test
  void explainsMisuse() {
    PipelineHarness harness = harness("misuse");

    assertEquals("dataset 'words' is produced by step 'split', not a source; give DataFrames only for datasets"
        + " no step writes: [raw_lines, stop_words]", assertThrows(IllegalArgumentException.class,
            () -> harness.source("words", TestData.lines(spark, "x"))).getMessage());
    assertEquals("source 'stop_words' declares schema word STRING,language STRING but the DataFrame given lacks"
        + " [language]; it has [word]", assertThrows(IllegalArgumentException.class,
            () -> harness.source("stop_words", TestData.table(spark, "word STRING").build())).getMessage());
    assertEquals("no task [reprot] in grouping 'split-apart'; its tasks are [ingest, report]",
        assertThrows(IllegalArgumentException.class, () -> harness.run("split-apart", "reprot")).getMessage());
    PipelineRun run = harness.run("single");
    assertEquals("dataset 'words' was not written by this run of grouping 'single' (it stays in memory, or its task"
        + " did not run); written: [word_counts, long_words]",
        assertThrows(IllegalArgumentException.class, () -> run.output("words")).getMessage());
  }
}
