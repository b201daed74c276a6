package dev.stepwise.core.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.core.config.GroupingLoader;
import dev.stepwise.core.config.PipelineConfigLoader;
import dev.stepwise.core.model.ConfigSource;
import dev.stepwise.core.model.Grouping;
import dev.stepwise.core.model.PipelineConfig;
import dev.stepwise.core.problem.InvalidConfigException;
import dev.stepwise.core.step.StepCatalog;
import dev.stepwise.core.step.StepOutputs;
import dev.stepwise.core.step.StepType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The planner on a small diamond, no Spark needed (steps are never applied):
 * <pre>
 *   source -> a -> x -> b -> y -> d -> z (final)
 *                  x -> c -> w -> d
 * </pre>
 */
class PlannerTest {
  private static final StepCatalog CATALOG = StepCatalog.of(List.of(
      StepType.named("pass").inputs("in").outputs("out").create(p -> in -> StepOutputs.of("out", in.get("in"))),
      StepType.named("join").inputs("left", "right").outputs("out")
          .create(p -> in -> StepOutputs.of("out", in.get("left")))));

  private static final String PIPELINE = """
      pipeline {
        name = diamond
        intermediate { format = parquet, path = "/tmp/work/{dataset}/{run_date}" }
      }
      datasets {
        source { format = json, path = "/tmp/in/{run_date}" }
        x {}
        y {}
        w { checkpoint = true }
        z { format = parquet, path = "/tmp/out/z/{run_date}" }
      }
      steps {
        a { type = pass, inputs { in = source }, outputs { out = x } }
        b { type = pass, inputs { in = x }, outputs { out = y } }
        c { type = pass, inputs { in = x }, outputs { out = w } }
        d { type = join, inputs { left = y, right = w }, outputs { out = z } }
      }
      """;

  @TempDir Path dir;

  private PipelineConfig pipeline(String text) throws IOException {
    Path file = dir.resolve("pipeline.conf");
    Files.writeString(file, text);
    return new PipelineConfigLoader(CATALOG).load(ConfigSource.file(file), Map.of());
  }

  private Grouping grouping(PipelineConfig pipeline, String text) throws IOException {
    Path file = dir.resolve("grouping.conf");
    Files.writeString(file, text);
    return GroupingLoader.load(file.toString(), pipeline);
  }

  @Test
  void tasksAreOrderedAfterTheirUpstreamTasks() throws IOException {
    PipelineConfig p = pipeline(PIPELINE);
    ExecutionPlan plan = Planner.plan(p, grouping(p, """
        tasks {
          finish { steps = [d] }
          middle { steps = [b, c] }
          start { steps = [a] }
        }
        """));
    assertEquals(List.of("start", "middle", "finish"), plan.taskNames());
    assertEquals(List.of(), plan.task("start").orElseThrow().upstream());
    assertEquals(List.of("start"), plan.task("middle").orElseThrow().upstream());
    assertEquals(List.of("middle"), plan.task("finish").orElseThrow().upstream());
  }

  @Test
  void materializationFollowsTheRule() throws IOException {
    PipelineConfig p = pipeline(PIPELINE);
    ExecutionPlan plan = Planner.plan(p, grouping(p, """
        tasks {
          first { steps = [a, b, c] }
          second { steps = [d] }
        }
        """));
    TaskPlan first = plan.task("first").orElseThrow();
    assertEquals(Set.of("y", "w"), Set.copyOf(first.writes().stream().map(DatasetWrite::dataset).toList()),
        "x stays in memory; y crosses to 'second'; w crosses and is a checkpoint");
    DatasetWrite w = first.writes().stream().filter(d -> d.dataset().equals("w")).findFirst().orElseThrow();
    assertEquals(Set.of(MaterializeReason.CROSS_TASK, MaterializeReason.CHECKPOINT), w.reasons());
    assertEquals("/tmp/work/y/{run_date}",
        first.writes().stream().filter(d -> d.dataset().equals("y")).findFirst().orElseThrow().storage().location(),
        "a crossing dataset without storage of its own goes to the pipeline's intermediate storage");
    TaskPlan second = plan.task("second").orElseThrow();
    assertEquals(List.of("y", "w"), second.reads().stream().map(DatasetRead::dataset).toList());
    assertEquals(List.of(new DatasetWrite("z", "d", p.dataset("z").storage().orElseThrow(),
        Set.of(MaterializeReason.FINAL_OUTPUT), List.of())), second.writes());
  }

  @Test
  void aDatasetComputedAndUsedTwiceIsCachedAndReleasedAfterItsLastDependent() throws IOException {
    PipelineConfig p = pipeline(PIPELINE);
    TaskPlan all = Planner.plan(p, GroupingLoader.single(p)).tasks().get(0);
    assertEquals(List.of("a", "b", "c", "d"), all.stepNames());
    assertEquals(CachePolicy.BY_COST, all.cachePolicy());
    assertEquals(List.of("x"), all.cached(), "x feeds b and c and is never written");
    assertEquals(Map.of("x", "d"), all.releaseAfter(), "z, written by d, is still built from x");
    assertEquals(List.of("w"), all.readBack(), "w is written as parquet (checkpoint) and read by d: d reads the files");
    assertEquals(List.of(new DatasetReuse("x", 2, ReuseReason.COMPUTED_IN_TASK, java.util.Optional.of("d")),
        new DatasetReuse("w", 2, ReuseReason.WRITTEN_AS_COLUMNS, java.util.Optional.empty())), all.reuse(),
        "y is read once, so it is not there");
    assertEquals(List.of("w", "z"), all.writes().stream().map(DatasetWrite::dataset).toList());
  }

  @Test
  void policyAllCachesEveryDatasetUsedTwiceAndTheLauncherWinsOverTheGrouping() throws IOException {
    PipelineConfig p = pipeline(PIPELINE);
    Grouping byCostInConfig = grouping(p, """
        tasks { all { steps = [a, b, c, d], spark { stepwise.cache.policy = by-cost } } }
        """);
    TaskPlan fromLauncher = Planner.plan(p, byCostInConfig, java.util.Optional.of(CachePolicy.ALL)).tasks().get(0);
    assertEquals(CachePolicy.ALL, fromLauncher.cachePolicy());
    assertEquals(List.of("x", "w"), fromLauncher.cached());
    assertEquals(Map.of("x", "d", "w", "d"), fromLauncher.releaseAfter());
    assertEquals(List.of(), fromLauncher.readBack());

    Grouping allInConfig = grouping(p, """
        tasks { all { steps = [a, b, c, d], spark { stepwise.cache.policy = all } } }
        """);
    assertEquals(List.of("x", "w"), Planner.plan(p, allInConfig).tasks().get(0).cached());
  }

  @Test
  void anUnknownCachePolicyInAGroupingIsAConfigErrorAtItsTask() throws IOException {
    PipelineConfig p = pipeline(PIPELINE);
    Grouping typo = grouping(p, """
        tasks {
          all { steps = [a, b, c, d], spark { stepwise.cache.policy = bycost } }
        }
        """);
    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> Planner.plan(p, typo));
    assertTrue(e.getMessage().contains("grouping.conf:2"), e.getMessage());
    assertTrue(e.getMessage().contains("'bycost' is not a cache policy; write by-cost or all"), e.getMessage());
  }

  @Test
  void builtInGroupings() throws IOException {
    PipelineConfig p = pipeline(PIPELINE);
    ExecutionPlan perStep = Planner.plan(p, GroupingLoader.perStep(p));
    assertEquals(List.of("a", "b", "c", "d"), perStep.taskNames());
    assertEquals(Set.of("x", "y", "w", "z"), Set.copyOf(perStep.tasks().stream()
        .flatMap(t -> t.writes().stream()).map(DatasetWrite::dataset).toList()), "per-step writes everything");
    assertEquals(List.of("b", "c"), perStep.task("d").orElseThrow().upstream());
    assertEquals(1, Planner.plan(p, GroupingLoader.single(p)).tasks().size());
  }

  @Test
  void aGroupingThatMakesACycleIsRejectedWithThePath() throws IOException {
    PipelineConfig p = pipeline(PIPELINE);
    Grouping cyclic = grouping(p, """
        tasks {
          outer { steps = [a, d] }
          inner { steps = [b, c] }
        }
        """);
    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> Planner.plan(p, cyclic));
    assertTrue(e.getMessage().contains("outer -(x)-> inner -(y)-> outer"), e.getMessage());
    assertTrue(e.getMessage().contains("grouping.conf:2"), e.getMessage());
  }

  @Test
  void aGroupingBuiltInCodeThatLeavesOutAStepIsRejected() throws IOException {
    PipelineConfig p = pipeline(PIPELINE);
    Grouping partial = new Grouping("partial", "", List.of(
        new dev.stepwise.core.model.TaskSpec("t", List.of("a", "b", "d"), Map.of(), "code")), "code");
    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> Planner.plan(p, partial));
    assertTrue(e.getMessage().contains("steps in no task: c"), e.getMessage());
  }

  @Test
  void aCrossingDatasetWithoutAnyStorageIsAConfigError() throws IOException {
    PipelineConfig p = pipeline(PIPELINE
        .replace("intermediate { format = parquet, path = \"/tmp/work/{dataset}/{run_date}\" }", "")
        .replace("w { checkpoint = true }", "w {}"));
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> Planner.plan(p, GroupingLoader.perStep(p)));
    assertTrue(e.getMessage().contains("dataset 'x' must be written under this grouping"), e.getMessage());
    assertTrue(e.getMessage().contains("pipeline.conf:7"), e.getMessage());
    assertEquals(1, Planner.plan(p, GroupingLoader.single(p)).tasks().size(), "single needs no intermediate storage");
  }
}
