package dev.stepwise.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.core.config.GroupingLoader;
import dev.stepwise.core.config.PipelineConfigLoader;
import dev.stepwise.core.model.ConfigSource;
import dev.stepwise.core.model.PipelineConfig;
import dev.stepwise.core.plan.DatasetWrite;
import dev.stepwise.core.plan.ExecutionPlan;
import dev.stepwise.core.plan.MaterializeReason;
import dev.stepwise.core.plan.Planner;
import dev.stepwise.core.step.StepCatalog;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated pipeline must be one the real loader and planner accept, with the promised shape. */
class SyntheticPipelineTest {

  @Test
  void aThousandStepsValidateAndPlanAsAHundredTasksWithFanIns(@TempDir Path dir) {
    SyntheticPipeline shape = SyntheticPipeline.ofSteps(1_000);
    SyntheticPipeline.Written files = shape.written(dir);
    StepCatalog catalog = StepCatalog.discover(getClass().getClassLoader());

    PipelineConfig pipeline = new PipelineConfigLoader(catalog).load(ConfigSource.file(files.pipeline()), Map.of());
    ExecutionPlan plan = Planner.plan(pipeline, GroupingLoader.load(files.grouping().toString(), pipeline));

    assertEquals(1_000, pipeline.steps().size());
    assertEquals(100, plan.tasks().size());
    long fanIns = pipeline.steps().values().stream().filter(s -> s.inputs().size() == 2).count();
    assertEquals(9 * 19, fanIns, "lanes 1..9 fan in at positions 5, 10, ..., 95");
    long crossTask = plan.tasks().stream().flatMap(t -> t.writes().stream())
        .filter(w -> w.reasons().contains(MaterializeReason.CROSS_TASK)).map(DatasetWrite::dataset).distinct().count();
    assertTrue(crossTask >= 90, "segments and fan-ins make datasets cross tasks, got " + crossTask);
    // Lane 1's second task (steps 10..19) fans in d_0_9 (task t_0_0) and d_0_14 (t_0_1) and continues t_1_0.
    assertEquals(java.util.List.of("t_0_0", "t_0_1", "t_1_0"), plan.task("t_1_1").orElseThrow().upstream());
  }

  @Test
  void inProcessTimingCoversLoadGroupingAndPlan(@TempDir Path dir) {
    SyntheticPipeline.Written files = SyntheticPipeline.ofSteps(200).written(dir);
    PlannerScale.Timing timing = PlannerScale.time(StepCatalog.discover(getClass().getClassLoader()), files);
    assertTrue(timing.loadSeconds() > 0 && timing.planSeconds() > 0 && timing.total() < 30, timing.toString());
  }
}
