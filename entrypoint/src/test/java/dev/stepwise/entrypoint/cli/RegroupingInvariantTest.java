package dev.stepwise.entrypoint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.core.plan.DatasetWrite;
import dev.stepwise.core.plan.ExecutionPlan;
import dev.stepwise.core.plan.MaterializeReason;
import dev.stepwise.core.plan.TaskPlan;
import dev.stepwise.testing.SparkTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promise of Stepwise: regrouping changes how many tasks run and what is written in between,
 * never the results. Every task of per-step, daily and single runs in its own entry-point
 * invocation, each grouping under a fresh storage root with the same generated sources.
 */
@SparkTest
class RegroupingInvariantTest {
  private final SparkSession spark;

  RegroupingInvariantTest(SparkSession spark) {
    this.spark = spark;
  }

  @Test
  void finalOutputsAreIdenticalUnderEveryGrouping(@TempDir Path dir) throws Exception {
    Map<String, ExamplePipeline> runs = new LinkedHashMap<>();
    for (String grouping : List.of("per-step", "daily", "single")) {
      ExamplePipeline pipeline = new ExamplePipeline(Cli.withSession(spark), dir.resolve(grouping));
      pipeline.generate(1000);
      pipeline.runEveryTask(grouping);
      runs.put(grouping, pipeline);
    }

    ExecutionPlan single = runs.get("single").plan("single");
    List<DatasetWrite> outputs = single.tasks().get(0).writes();
    assertTrue(outputs.size() >= 5, "the example has at least five final or checkpointed outputs");
    for (DatasetWrite output : outputs) {
      String relative = Path.of(runs.get("single").root().toString())
          .relativize(Path.of(output.storage().location().replace("{run_date}", ExamplePipeline.RUN_DATE)))
          .toString();
      String format = output.storage().format().configName();
      List<String> expected = ExamplePipeline.rows(spark, runs.get("single").root().resolve(relative), format);
      assertFalse(expected.isEmpty(), output.dataset() + " is empty: the comparison would prove little");
      for (String grouping : List.of("per-step", "daily")) {
        List<String> actual = ExamplePipeline.rows(spark, runs.get(grouping).root().resolve(relative), format);
        assertEquals(expected, actual, output.dataset() + " differs between single and " + grouping);
      }
    }
  }

  @Test
  void perStepWritesEveryIntermediateAndSingleWritesNone(@TempDir Path dir) {
    ExamplePipeline perStep = new ExamplePipeline(Cli.withSession(spark), dir.resolve("per-step"));
    ExecutionPlan perStepPlan = perStep.plan("per-step");
    assertEquals(perStepPlan.pipeline().steps().size(), perStepPlan.tasks().size(), "one task per step");
    long intermediates = perStepPlan.pipeline().datasets().values().stream()
        .filter(d -> d.storage().isEmpty()).count();
    long crossing = perStepPlan.tasks().stream().flatMap(t -> t.writes().stream())
        .filter(w -> w.reasons().contains(MaterializeReason.CROSS_TASK)).map(DatasetWrite::dataset)
        .filter(d -> perStepPlan.pipeline().dataset(d).storage().isEmpty()).count();
    assertEquals(intermediates, crossing, "under per-step every intermediate crosses tasks and is written");

    ExamplePipeline single = new ExamplePipeline(Cli.withSession(spark), dir.resolve("single"));
    ExecutionPlan singlePlan = single.plan("single");
    TaskPlan only = singlePlan.tasks().get(0);
    assertTrue(only.writes().stream().noneMatch(w -> w.reasons().contains(MaterializeReason.CROSS_TASK)));
    assertTrue(only.writes().stream().allMatch(w -> perStepPlan.pipeline().dataset(w.dataset()).storage().isPresent()),
        "single writes only datasets with storage of their own: outputs and checkpoints");

    perStep.generate(50);
    perStep.runEveryTask("per-step");
    single.generate(50);
    single.runEveryTask("single");
    assertTrue(Files.isDirectory(perStep.root().resolve("work/payments_with_fees/run_date=" + ExamplePipeline.RUN_DATE)));
    assertFalse(Files.exists(single.root().resolve("work")), "single keeps every intermediate in memory");
  }
}
