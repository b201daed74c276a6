package dev.stepwise.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.stepwise.core.config.GroupingLoader;
import dev.stepwise.core.config.PipelineConfigLoader;
import dev.stepwise.core.model.ConfigSource;
import dev.stepwise.core.model.PipelineConfig;
import dev.stepwise.core.model.RunContext;
import dev.stepwise.core.plan.DatasetRead;
import dev.stepwise.core.plan.Planner;
import dev.stepwise.core.plan.TaskPlan;
import dev.stepwise.core.step.StepCatalog;
import dev.stepwise.core.step.StepOutputs;
import dev.stepwise.core.step.StepType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a resumed run skips, and when staged data counts as the same, on a diamond in one task (no
 * Spark: steps are never applied):
 * <pre>
 *   source -> a -> x -> b -> y -> d -> z (final, written)
 *                  x -> c -> w (checkpoint, written) -> d
 * </pre>
 */
class ResumePlanTest {
  private static final StepCatalog CATALOG = StepCatalog.of(List.of(
      StepType.named("pass").inputs("in").outputs("out").create(p -> {
        p.integer("factor", 1);
        return in -> StepOutputs.of("out", in.get("in"));
      }),
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
        a { type = pass, inputs { in = source }, outputs { out = x }, params { factor = A } }
        b { type = pass, inputs { in = x }, outputs { out = y } }
        c { type = pass, inputs { in = x }, outputs { out = w }, params { factor = C } }
        d { type = join, inputs { left = y, right = w }, outputs { out = z } }
      }
      """;
  private static final RunContext DAY = new RunContext(LocalDate.of(2026, 11, 21), Map.of(), "run-1");

  @TempDir Path dir;

  private TaskPlan task(int a, int c) throws IOException {
    Path file = dir.resolve("pipeline.conf");
    Files.writeString(file, PIPELINE.replace("factor = A", "factor = " + a).replace("factor = C", "factor = " + c));
    PipelineConfig pipeline = new PipelineConfigLoader(CATALOG).load(ConfigSource.file(file), Map.of());
    return Planner.plan(pipeline, GroupingLoader.single(pipeline)).tasks().get(0);
  }

  @Test
  void aStepWhoseWrittenOutputIsReusableIsSkippedAndItsOutputReadBack() throws IOException {
    ResumePlan plan = ResumePlan.of(task(1, 1), Set.of("w"));
    assertEquals(Set.of("c"), plan.skipped(), "a, b feed d in memory and d failed: they run");
    assertEquals(Set.of("w"), plan.readBack(), "d reads w from staging instead of recomputing c");
    assertEquals(Set.of("w"), plan.reused());
    assertEquals(List.of("source"), plan.reads().stream().map(DatasetRead::dataset).toList());
  }

  @Test
  void withEverythingStagedNothingRunsAndNothingIsRead() throws IOException {
    ResumePlan plan = ResumePlan.of(task(1, 1), Set.of("w", "z"));
    assertEquals(Set.of("a", "b", "c", "d"), plan.skipped());
    assertEquals(Set.of(), plan.readBack());
    assertEquals(Set.of("w", "z"), plan.reused());
    assertEquals(List.of(), plan.reads());
  }

  @Test
  void withNothingStagedEverythingRuns() throws IOException {
    ResumePlan plan = ResumePlan.of(task(1, 1), Set.of());
    assertEquals(Set.of(), plan.skipped());
    assertEquals(ResumePlan.none(task(1, 1)).reads(), plan.reads());
  }

  @Test
  void aDatasetsFingerprintFollowsWhatProducesItAndNothingElse() throws IOException {
    Map<String, String> base = Fingerprints.of(task(1, 1), DAY, storage -> "files v1");
    assertEquals(base, Fingerprints.of(task(1, 1), DAY, storage -> "files v1"), "the same run digests the same");

    Map<String, String> otherC = Fingerprints.of(task(1, 2), DAY, storage -> "files v1");
    assertEquals(base.get("x"), otherC.get("x"));
    assertEquals(base.get("y"), otherC.get("y"));
    assertNotEquals(base.get("w"), otherC.get("w"), "c's parameter decides w");
    assertNotEquals(base.get("z"), otherC.get("z"), "and, through w, z");

    Map<String, String> otherA = Fingerprints.of(task(2, 1), DAY, storage -> "files v1");
    for (String dataset : List.of("x", "y", "w", "z")) {
      assertNotEquals(base.get(dataset), otherA.get(dataset), dataset + " is downstream of a");
    }
    assertEquals(base.get("source"), otherA.get("source"));

    RunContext nextDay = new RunContext(LocalDate.of(2026, 11, 22), Map.of(), "run-1");
    Map<String, String> otherDay = Fingerprints.of(task(1, 1), nextDay, storage -> "files v1");
    Map<String, String> republished = Fingerprints.of(task(1, 1), DAY, storage -> "files v2");
    for (String dataset : List.of("w", "z")) {
      assertNotEquals(base.get(dataset), otherDay.get(dataset), "another run date");
      assertNotEquals(base.get(dataset), republished.get(dataset), "an input published again");
    }
    assertEquals(base, Fingerprints.of(task(1, 1), new RunContext(DAY.runDate(), Map.of(), "run-2"),
        storage -> "files v1"), "the run id is not part of it: a resumed run has its own");
  }
}
