package dev.stepwise.entrypoint.advise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.core.config.PipelineConfigLoader;
import dev.stepwise.core.model.ConfigSource;
import dev.stepwise.core.model.PipelineConfig;
import dev.stepwise.core.plan.ExecutionPlan;
import dev.stepwise.core.step.StepCatalog;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The advisor's merge rules on the example pipeline, checked against the real planner. */
class GroupingAdvisorTest {
  @TempDir Path dir;

  private PipelineConfig pipeline() {
    Path config = Path.of("..", "conf", "payments.conf").toAbsolutePath().normalize();
    return new PipelineConfigLoader(StepCatalog.discover(getClass().getClassLoader()))
        .load(ConfigSource.file(config), Map.of("pipeline.storage_root", dir.toString()));
  }

  private static TaskCost cost(String step, double overhead, double compute) {
    return new TaskCost(step, List.of(step), Map.of(), overhead, compute, Map.of("spark session start", overhead),
        Path.of(step + ".json"));
  }

  private List<TaskCost> perStep(double overhead, double compute) {
    return pipeline().steps().keySet().stream().map(s -> cost(s, overhead, compute)).toList();
  }

  @Test
  void overheadHeavyPerStepTasksAreMergedIntoAValidGroupingWithFarFewerTasks() {
    GroupingAdvisor.Advice advice = new GroupingAdvisor(pipeline(), "per-step", 0.10).advise(perStep(8.0, 1.0));
    assertEquals(12, advice.before().tasks().size());
    assertTrue(advice.after().tasks().size() <= 3, advice.after().taskNames().toString());
    assertEquals(12 - advice.after().tasks().size(), advice.merges().size());
    assertTrue(advice.merges().get(0).reason().contains("on overhead"), advice.merges().get(0).reason());
  }

  @Test
  void tasksUnderTheThresholdAreLeftAlone() {
    GroupingAdvisor.Advice advice = new GroupingAdvisor(pipeline(), "per-step", 0.10).advise(perStep(1.0, 20.0));
    assertEquals(List.of(), advice.merges());
    assertEquals(advice.before().taskNames(), advice.after().taskNames());
  }

  @Test
  void aMergeThatWouldMakeTheTaskGraphCyclicIsSkippedAndExplained() {
    // parse_events reads nothing from summarize_rejections but feeds it both directly (malformed events)
    // and through deduplicate -> normalize_currencies: merging those two alone would make a cycle.
    List<TaskCost> costs = pipeline().steps().keySet().stream().map(s -> switch (s) {
      case "parse_events" -> cost(s, 30.0, 1.0);
      case "summarize_rejections" -> cost(s, 29.0, 0.1);
      default -> cost(s, 0.1, 10.0);
    }).toList();
    GroupingAdvisor.Advice advice = new GroupingAdvisor(pipeline(), "per-step", 0.10).advise(costs);
    assertTrue(advice.notes().stream().anyMatch(n -> n.startsWith("not merging task 'parse_events' with task"
        + " 'summarize_rejections'") && n.contains("cyclic")), advice.notes().toString());
    // The next neighbour by overhead share is taken instead, and the result still plans.
    assertEquals(List.of("parse_events", "deduplicate"), advice.merges().get(0).tasks());
    ExecutionPlan after = advice.after();
    assertTrue(after.tasks().size() < 12, after.taskNames().toString());
  }
}
