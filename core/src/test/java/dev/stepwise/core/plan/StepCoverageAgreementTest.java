package dev.stepwise.core.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.core.config.GroupingLoader;
import dev.stepwise.core.config.PipelineConfigLoader;
import dev.stepwise.core.model.ConfigSource;
import dev.stepwise.core.model.Grouping;
import dev.stepwise.core.model.PipelineConfig;
import dev.stepwise.core.model.StepCoverage;
import dev.stepwise.core.model.TaskSpec;
import dev.stepwise.core.problem.ConfigProblem;
import dev.stepwise.core.problem.InvalidConfigException;
import dev.stepwise.core.step.StepCatalog;
import dev.stepwise.core.step.StepOutputs;
import dev.stepwise.core.step.StepType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A grouping read from a file and the same grouping built in code (as the planner and the test
 * harness get it) are held to one coverage rule: the same verdict and the same messages, in order.
 */
class StepCoverageAgreementTest {
  private static final StepCatalog CATALOG = StepCatalog.of(List.of(
      StepType.named("pass").inputs("in").outputs("out").create(p -> in -> StepOutputs.of("out", in.get("in")))));

  /** Steps of the pipeline below, and names that are not ("bb" is close to "b", "zz" to nothing). */
  private static final List<String> NAMES = List.of("a", "b", "c", "d", "bb", "zz");

  @TempDir Path dir;

  @Test
  void fileAndCodeGroupingsGetTheSameCoverageVerdict() throws IOException {
    Path pipelineFile = Files.writeString(dir.resolve("chain.conf"), """
        pipeline {
          name = chain
          intermediate { format = parquet, path = "/tmp/work/{dataset}/{run_date}" }
        }
        datasets { source { format = json, path = "/tmp/in/{run_date}" }, w {}, x {}, y {}, z { checkpoint = true } }
        steps {
          a { type = pass, inputs { in = source }, outputs { out = w } }
          b { type = pass, inputs { in = w }, outputs { out = x } }
          c { type = pass, inputs { in = x }, outputs { out = y } }
          d { type = pass, inputs { in = y }, outputs { out = z } }
        }
        """);
    PipelineConfig pipeline = new PipelineConfigLoader(CATALOG).load(ConfigSource.file(pipelineFile), Map.of());
    Random random = new Random(12);
    int refused = 0;
    int cases = 400;
    for (int i = 0; i < cases; i++) {
      List<List<String>> tasks = randomTasks(random);
      List<String> fromFile = problemsOfFile(pipeline, tasks, i);
      Grouping built = inCode(tasks);
      if (fromFile.isEmpty()) {
        StepCoverage.check(pipeline, built);
        continue;
      }
      refused++;
      InvalidConfigException planned = assertThrows(InvalidConfigException.class, () -> Planner.plan(pipeline, built),
          "the file was refused but the planner took the same grouping built in code: " + tasks);
      assertEquals(fromFile, planned.problems().stream().map(ConfigProblem::message).toList(), tasks.toString());
    }
    // Both verdicts must have occurred, or the comparison above proved little.
    assertTrue(refused > cases / 10 && refused < cases - cases / 10, "refused " + refused + " of " + cases);
  }

  /** A random split of the four steps into tasks, then, half of the time, one to three mistakes. */
  private static List<List<String>> randomTasks(Random random) {
    List<List<String>> tasks = new ArrayList<>();
    int count = 1 + random.nextInt(3);
    for (int t = 0; t < count; t++) {
      tasks.add(new ArrayList<>());
    }
    for (String step : NAMES.subList(0, 4)) {
      tasks.get(random.nextInt(count)).add(step);
    }
    int mistakes = random.nextBoolean() ? 0 : 1 + random.nextInt(3);
    for (int m = 0; m < mistakes; m++) {
      List<String> task = tasks.get(random.nextInt(count));
      switch (random.nextInt(3)) {
        case 0 -> task.add(NAMES.get(4 + random.nextInt(2)));
        case 1 -> task.add(NAMES.get(random.nextInt(4)));
        default -> {
          if (task.size() > 1) {
            task.remove(random.nextInt(task.size()));
          }
        }
      }
    }
    tasks.removeIf(List::isEmpty);
    return tasks;
  }

  private List<String> problemsOfFile(PipelineConfig pipeline, List<List<String>> tasks, int i) throws IOException {
    StringBuilder text = new StringBuilder("tasks {\n");
    for (int t = 0; t < tasks.size(); t++) {
      text.append("  t").append(t).append(" { steps = [").append(String.join(", ", tasks.get(t))).append("] }\n");
    }
    Path file = dir.resolve("g" + i + ".conf");
    Files.writeString(file, text.append("}\n").toString());
    try {
      GroupingLoader.load(file.toString(), pipeline);
      return List.of();
    } catch (InvalidConfigException e) {
      return e.problems().stream().map(ConfigProblem::message).toList();
    }
  }

  private static Grouping inCode(List<List<String>> tasks) {
    List<TaskSpec> specs = new ArrayList<>();
    for (int t = 0; t < tasks.size(); t++) {
      specs.add(new TaskSpec("t" + t, tasks.get(t), Map.of(), "code"));
    }
    return new Grouping("code", "", specs, "code");
  }
}
