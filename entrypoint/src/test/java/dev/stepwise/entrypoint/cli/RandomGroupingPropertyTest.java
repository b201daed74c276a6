package dev.stepwise.entrypoint.cli;

import static dev.stepwise.testing.DatasetAssertions.assertDatasetEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.core.model.PipelineConfig;
import dev.stepwise.core.model.StepSpec;
import dev.stepwise.core.problem.InvalidConfigException;
import dev.stepwise.examples.payments.PaymentsSampleData;
import dev.stepwise.testing.DatasetComparison;
import dev.stepwise.testing.PipelineHarness;
import dev.stepwise.testing.PipelineRun;
import dev.stepwise.testing.SparkJobs;
import dev.stepwise.testing.SparkTest;
import dev.stepwise.testing.TestDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Regrouping as a property: any partition of the example's steps into tasks whose task graph is
 * acyclic gives exactly the outputs of {@code single}; any other is rejected before Spark runs.
 * Each drawn task also draws its cache policy (by cost, all, or the default), and the reference
 * {@code single} caches everything: how a task keeps reused data never changes a result either.
 *
 * <p>Groupings are drawn from a fixed seed, printed in every test name; rerun one failing draw
 * with {@code -Dstepwise.groupingSeed=<seed>}. Each draw is a random topological order of the
 * steps cut into runs of consecutive steps (always acyclic), then a few random merges of two
 * tasks (acyclic or not); the test decides acyclicity by its own graph search, independently of
 * the planner, and checks the planner agrees.
 */
@SparkTest
class RandomGroupingPropertyTest {
  private static final Path CONFIG = Path.of("..", "conf", "payments.conf").toAbsolutePath().normalize();
  private static final long SEED = Long.getLong("stepwise.groupingSeed", 20_261_121L);
  private static final int VALID_GROUPINGS = 6;
  private static final int CYCLIC_GROUPINGS = 3;
  private static final int EVENTS = 300;
  private static final LocalDate RUN_DATE = LocalDate.of(2026, 11, 21);
  private static final List<String> POLICIES = List.of("", "by-cost", "all");

  private final SparkSession spark;
  private final Path dir;

  RandomGroupingPropertyTest(SparkSession spark, @TestDir Path dir) {
    this.spark = spark;
    this.dir = dir;
  }

  private PipelineHarness harnessWithSampleData(String root) {
    PipelineHarness harness = PipelineHarness.builder(spark, CONFIG).storageRoot(dir.resolve(root))
        .runDate(RUN_DATE).build();
    // The generator is deterministic: every root gets byte-identical sources.
    PaymentsSampleData.write(RUN_DATE, EVENTS, SEED, harness.directory("raw_payment_events"),
        harness.directory("fx_rates"), harness.directory("bookings"));
    return harness;
  }

  @TestFactory
  Stream<DynamicTest> randomAcyclicGroupingsGiveTheOutputsOfSingle() {
    PipelineHarness single = harnessWithSampleData("single");
    List<String> allSteps = List.copyOf(single.pipeline().steps().keySet());
    PipelineRun expected = single.run(groupingFile("single-cache-all", List.of(allSteps), List.of("all")).toString());
    assertTrue(expected.written().size() >= 5, "single writes the outputs and checkpoints: " + expected.written());
    Draws draws = Draws.of(single.pipeline(), new Random(SEED));
    Random policyDraws = new Random(SEED + 1); // apart from the groupings' draws, which other tests pin

    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 0; i < draws.acyclic().size(); i++) {
      List<List<String>> tasks = draws.acyclic().get(i);
      List<String> policies = tasks.stream().map(t -> POLICIES.get(policyDraws.nextInt(POLICIES.size()))).toList();
      int draw = i + 1;
      String name = "random-" + draw;
      tests.add(DynamicTest.dynamicTest("seed " + SEED + " draw " + draw + ": " + tasks + " cache " + policies, () -> {
        PipelineHarness harness = harnessWithSampleData(name);
        PipelineRun run = harness.run(groupingFile(name, tasks, policies).toString());
        assertEquals(tasks.size(), run.tasks().size());
        for (String dataset : expected.written()) {
          assertDatasetEquals(expected.output(dataset), run.output(dataset), DatasetComparison.DEFAULT,
              dataset + " differs from single under seed " + SEED + " draw " + draw + " " + tasks);
        }
      }));
    }
    tests.add(DynamicTest.dynamicTest("seed " + SEED + ": cyclic or incomplete groupings fail before any Spark job",
        () -> {
          List<List<List<String>>> invalid = new ArrayList<>(draws.cyclic());
          List<String> steps = List.copyOf(single.pipeline().steps().keySet());
          invalid.add(List.of(steps.subList(0, steps.size() - 1)));
          invalid.add(List.of(steps, List.of(steps.get(0))));
          for (int i = 0; i < invalid.size(); i++) {
            Path file = groupingFile("invalid-" + (i + 1), invalid.get(i),
                invalid.get(i).stream().map(t -> "").toList());
            String description = "seed " + SEED + " invalid grouping " + invalid.get(i);
            List<String> jobs = SparkJobs.startedBy(spark, () -> {
              InvalidConfigException e = assertThrows(InvalidConfigException.class,
                  () -> single.run(file.toString()), description);
              assertTrue(e.getMessage().matches("(?s).*(cyclic|steps in no task|already in task).*"), e.getMessage());
            });
            assertEquals(List.of(), jobs, description + " started Spark jobs");
          }
        }));
    assertEquals(VALID_GROUPINGS, draws.acyclic().size(), "draws of seed " + SEED);
    assertEquals(CYCLIC_GROUPINGS, draws.cyclic().size(), "cyclic draws of seed " + SEED);
    return tests.stream();
  }

  /**
   * A grouping file, so the draw goes through the same loader as a user's file.
   *
   * @param policies each task's cache policy, "" for none (the default)
   */
  private Path groupingFile(String name, List<List<String>> tasks, List<String> policies) {
    StringBuilder conf = new StringBuilder("description = \"drawn with seed " + SEED + "\"\ntasks {\n");
    for (int t = 0; t < tasks.size(); t++) {
      conf.append("  t").append(t + 1).append(" { steps = [").append(String.join(", ", tasks.get(t))).append("]")
          .append(policies.get(t).isEmpty() ? "" : ", spark { stepwise.cache.policy = " + policies.get(t) + " }")
          .append(" }\n");
    }
    conf.append("}\n");
    try {
      Path file = dir.resolve("groupings").resolve(name + ".conf");
      Files.createDirectories(file.getParent());
      return Files.writeString(file, conf);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Random partitions of the steps, sorted into those with an acyclic task graph and the others. */
  private record Draws(List<List<List<String>>> acyclic, List<List<List<String>>> cyclic) {
    static Draws of(PipelineConfig pipeline, Random random) {
      Map<String, Set<String>> downstream = downstreamSteps(pipeline);
      List<List<List<String>>> acyclic = new ArrayList<>();
      List<List<List<String>>> cyclic = new ArrayList<>();
      Set<Set<Set<String>>> seen = new HashSet<>();
      for (int attempt = 0; attempt < 10_000 && (acyclic.size() < VALID_GROUPINGS || cyclic.size() < CYCLIC_GROUPINGS);
          attempt++) {
        List<List<String>> tasks = draw(downstream, random);
        Set<Set<String>> canonical = tasks.stream().map(Set::copyOf).collect(Collectors.toSet());
        if (tasks.size() == 1 || tasks.size() == downstream.size() || !seen.add(canonical)) {
          continue; // single and per-step are covered elsewhere; each draw should be new
        }
        if (isAcyclic(tasks, downstream)) {
          if (acyclic.size() < VALID_GROUPINGS) {
            acyclic.add(tasks);
          }
        } else if (cyclic.size() < CYCLIC_GROUPINGS) {
          cyclic.add(tasks);
        }
      }
      return new Draws(acyclic, cyclic);
    }

    private static List<List<String>> draw(Map<String, Set<String>> downstream, Random random) {
      List<String> order = randomTopologicalOrder(downstream, random);
      List<List<String>> tasks = new ArrayList<>();
      List<String> current = new ArrayList<>();
      double cutChance = 0.2 + 0.5 * random.nextDouble();
      for (String step : order) {
        if (!current.isEmpty() && random.nextDouble() < cutChance) {
          tasks.add(current);
          current = new ArrayList<>();
        }
        current.add(step);
      }
      tasks.add(current);
      int merges = random.nextInt(3);
      for (int m = 0; m < merges && tasks.size() > 2; m++) {
        int a = random.nextInt(tasks.size());
        int b = random.nextInt(tasks.size() - 1);
        b = b >= a ? b + 1 : b;
        List<String> merged = new ArrayList<>(tasks.get(Math.min(a, b)));
        merged.addAll(tasks.get(Math.max(a, b)));
        tasks.set(Math.min(a, b), merged);
        tasks.remove(Math.max(a, b));
      }
      return tasks;
    }

    private static List<String> randomTopologicalOrder(Map<String, Set<String>> downstream, Random random) {
      Map<String, Integer> indegree = new LinkedHashMap<>();
      downstream.keySet().forEach(s -> indegree.put(s, 0));
      downstream.values().forEach(next -> next.forEach(s -> indegree.merge(s, 1, Integer::sum)));
      List<String> ready = indegree.entrySet().stream().filter(e -> e.getValue() == 0).map(Map.Entry::getKey)
          .collect(Collectors.toList());
      List<String> order = new ArrayList<>();
      while (!ready.isEmpty()) {
        String step = ready.remove(random.nextInt(ready.size()));
        order.add(step);
        for (String next : downstream.get(step)) {
          if (indegree.merge(next, -1, Integer::sum) == 0) {
            ready.add(next);
          }
        }
      }
      return order;
    }

    /** Depth-first search for a cycle among tasks, with an edge wherever a step reads another task's output. */
    static boolean isAcyclic(List<List<String>> tasks, Map<String, Set<String>> downstream) {
      Map<String, Integer> taskOf = new HashMap<>();
      for (int t = 0; t < tasks.size(); t++) {
        for (String step : tasks.get(t)) {
          taskOf.put(step, t);
        }
      }
      List<Set<Integer>> edges = new ArrayList<>();
      tasks.forEach(t -> edges.add(new HashSet<>()));
      downstream.forEach((from, tos) -> tos.forEach(to -> {
        if (!taskOf.get(from).equals(taskOf.get(to))) {
          edges.get(taskOf.get(from)).add(taskOf.get(to));
        }
      }));
      int[] state = new int[tasks.size()]; // 0 unvisited, 1 on the current path, 2 done
      for (int t = 0; t < tasks.size(); t++) {
        if (hasCycleFrom(t, edges, state)) {
          return false;
        }
      }
      return true;
    }

    private static boolean hasCycleFrom(int task, List<Set<Integer>> edges, int[] state) {
      if (state[task] != 0) {
        return state[task] == 1;
      }
      state[task] = 1;
      for (int next : edges.get(task)) {
        if (hasCycleFrom(next, edges, state)) {
          return true;
        }
      }
      state[task] = 2;
      return false;
    }

    private static Map<String, Set<String>> downstreamSteps(PipelineConfig pipeline) {
      Map<String, String> producerOf = new HashMap<>();
      pipeline.steps().values().forEach(s -> s.outputs().values().forEach(d -> producerOf.put(d, s.name())));
      Map<String, Set<String>> downstream = new LinkedHashMap<>();
      pipeline.steps().keySet().forEach(s -> downstream.put(s, new HashSet<>()));
      for (StepSpec step : pipeline.steps().values()) {
        for (String dataset : step.inputs().values()) {
          String producer = producerOf.get(dataset);
          if (producer != null) {
            downstream.get(producer).add(step.name());
          }
        }
      }
      return downstream;
    }
  }
}
