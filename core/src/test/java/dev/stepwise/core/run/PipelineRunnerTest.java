package dev.stepwise.core.run;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.raise_error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.core.config.GroupingLoader;
import dev.stepwise.core.config.PipelineConfigLoader;
import dev.stepwise.core.model.ConfigSource;
import dev.stepwise.core.model.PipelineConfig;
import dev.stepwise.core.model.RunContext;
import dev.stepwise.core.plan.ExecutionPlan;
import dev.stepwise.core.plan.Planner;
import dev.stepwise.core.plan.TaskPlan;
import dev.stepwise.core.step.StepCatalog;
import dev.stepwise.core.step.StepOutputs;
import dev.stepwise.core.step.StepType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner on a chain of three steps, {@code a -> x -> b -> y -> c -> z}, each doubling {@code n}
 * unless its parameter {@code fail} says to fail (when applied, or only when its rows are
 * computed): x is handed between tasks when they are apart, y is a checkpoint, z the final output.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipelineRunnerTest {
  private static final LocalDate RUN_DATE = LocalDate.parse("2026-11-21");
  private static final List<String> STEPS = List.of("a", "b", "c");
  private static final StepCatalog CATALOG = StepCatalog.of(List.of(
      StepType.named("maybe_fail").inputs("in").outputs("out").create(p -> {
        String fail = p.string("fail", "no");
        return in -> {
          if (fail.equals("apply")) {
            throw new IllegalStateException("asked to fail");
          }
          return StepOutputs.of("out", in.get("in").withColumn("n", fail.equals("write")
              ? raise_error(lit("asked to fail while writing")).cast("int") : col("n").multiply(2)));
        };
      })));

  private SparkSession spark;
  @TempDir Path dir;

  @BeforeAll
  void start(@TempDir Path scratch) {
    spark = TinyPipeline.session(scratch);
    spark.sparkContext().setLogLevel("OFF");
  }

  @AfterAll
  void stop() {
    spark.stop();
  }

  @Test
  void runsTheTasksInOrderInOneSessionAndTheListenerHearsEachEventInOrder() throws IOException {
    Chain chain = new Chain(dir.resolve("order"), Map.of());
    chain.deliverEvents(4);
    Recorder heard = new Recorder();
    Sessions sessions = new Sessions(spark);
    Instant start = Instant.now();

    PipelineResult result = new PipelineRunner(sessions, heard)
        .run(chain.plan("per-step"), chain.plan("per-step").tasks(), chain.run("order"), PipelineRunner.Staged.CLEAR,
            new PhaseClock(Optional.empty(), start));

    assertEquals(Optional.empty(), result.failure());
    assertEquals(STEPS, result.results().stream().map(TaskResult::task).toList());
    assertEquals(List.of("open", "switch", "switch", "close"), sessions.calls);
    List<String> expected = new ArrayList<>(List.of("run starting a, b, c", "session started"));
    for (String[] task : new String[][] {{"a", "x"}, {"b", "y"}, {"c", "z"}}) {
      expected.addAll(List.of("task " + task[0] + " started", "step " + task[0] + " started",
          "wrote " + task[1], "step " + task[0] + " finished", "task " + task[0] + " finished"));
    }
    assertEquals(expected, heard.events);
    assertEquals(IntStream.rangeClosed(1, 4).mapToObj(i -> i + ":" + i * 8).toList(), chain.published("z"));
    assertPhasesBackToBack(result, start);
  }

  @Test
  void aTasksOutputsArePublishedOnlyOnceAllItsStepsPassed() throws IOException {
    Chain chain = new Chain(dir.resolve("publish"), Map.of());
    chain.deliverEvents(3);
    List<String> seen = new ArrayList<>();
    RunListener watcher = new RunListener() {
      @Override
      public void datasetWritten(String task, WrittenDataset written) {
        seen.add(written.dataset() + " written, published: " + Files.exists(chain.target(written.dataset())));
      }

      @Override
      public void taskFinished(TaskResult result) {
        seen.add("task done, published: " + Files.exists(chain.target("y")) + ", " + Files.exists(chain.target("z")));
      }
    };

    new PipelineRunner(new Sessions(spark), watcher).run(chain.plan("single"), chain.plan("single").tasks(),
        chain.run("publish"), PipelineRunner.Staged.CLEAR, PhaseClock.startingNow(Optional.empty()));

    assertEquals(List.of("y written, published: false", "z written, published: false",
        "task done, published: true, true"), seen);
  }

  /** Every step failing either way, under a grouping of one task and of one task per step. */
  @Test
  void aFailingStepPublishesNothingOfItsTaskAndNoLaterTaskRuns() throws IOException {
    int cases = 0;
    for (String grouping : List.of("single", "per-step")) {
      for (String failing : STEPS) {
        for (String how : List.of("apply", "write")) {
          String name = grouping + "-" + failing + "-" + how;
          Chain chain = new Chain(dir.resolve(name), Map.of(failing, how));
          chain.deliverEvents(3);
          ExecutionPlan plan = chain.plan(grouping);
          String failingTask = grouping.equals("single") ? "chain" : failing;
          List<String> before = plan.taskNames().subList(0, plan.taskNames().indexOf(failingTask));
          Sessions sessions = new Sessions(spark);
          Instant start = Instant.now();

          PipelineResult result = new PipelineRunner(sessions, RunListener.NONE).run(plan, plan.tasks(),
              chain.run(name), PipelineRunner.Staged.CLEAR, new PhaseClock(Optional.empty(), start));

          StepFailedException failure = assertInstanceOf(StepFailedException.class, result.failure().orElseThrow(),
              name);
          assertTrue(failure.getMessage().startsWith("task '" + failingTask + "', step '"), failure.getMessage());
          if (how.equals("apply")) {
            assertTrue(failure.getMessage().contains("step '" + failing + "' failed in its type 'maybe_fail':"
                + " asked to fail"), failure.getMessage());
          }
          assertEquals(before, result.results().stream().map(TaskResult::task).toList(), name);
          for (String dataset : List.of("x", "y", "z")) {
            boolean publishedByEarlierTask = before.contains(producerOf(dataset));
            assertEquals(publishedByEarlierTask, Files.exists(chain.target(dataset)), name + ": " + dataset);
          }
          assertEquals("close", sessions.calls.get(sessions.calls.size() - 1), name + ": the session is handed back");
          List<Phase> phases = assertPhasesBackToBack(result, start);
          assertEquals("failed task " + failingTask, phases.get(phases.size() - 2).name(), name);
          cases++;
        }
      }
    }
    assertThrows(StepFailedException.class, () -> new PipelineResult(List.of(), List.of(),
        Optional.of(new StepFailedException("t", "s", "while writing 'd'", new IllegalStateException("x"))))
        .resultsOrThrow());
    System.out.println("pipeline runner: " + cases + " failing steps, none published its task's outputs");
  }

  @Test
  void aMissingInputStopsTheRunBeforeAnySessionStarts() throws IOException {
    Chain chain = new Chain(dir.resolve("missing"), Map.of());
    Sessions sessions = new Sessions(spark);
    ExecutionPlan plan = chain.plan("per-step");

    MissingInputException all = assertThrows(MissingInputException.class, () -> new PipelineRunner(sessions,
        RunListener.NONE).run(plan, plan.tasks(), chain.run("missing"), PipelineRunner.Staged.CLEAR,
        PhaseClock.startingNow(Optional.empty())));
    MissingInputException alone = assertThrows(MissingInputException.class, () -> new PipelineRunner(sessions,
        RunListener.NONE).run(plan, List.of(plan.task("b").orElseThrow()), chain.run("missing"),
        PipelineRunner.Staged.CLEAR, PhaseClock.startingNow(Optional.empty())));

    assertEquals(List.of(), sessions.calls);
    assertEquals(List.of("a"), List.copyOf(all.byTask().keySet()), "b and c read what this run writes before them");
    assertTrue(all.getMessage().startsWith("task '--all' cannot start: input 'events' has no data at "),
        all.getMessage());
    assertEquals("task 'b' cannot start: input 'x' has no data at " + chain.target("x")
        + " (it is written by task 'a': run that task first)", alone.getMessage());
  }

  @Test
  void resumeReusesWhatTheFailedRunStagedAndRunsTheRest() throws IOException {
    Chain failing = new Chain(dir.resolve("resume"), Map.of("c", "apply"));
    failing.deliverEvents(5);
    ExecutionPlan failingPlan = failing.plan("single");
    PipelineResult failed = new PipelineRunner(new Sessions(spark), RunListener.NONE).run(failingPlan,
        failingPlan.tasks(), failing.run("first"), PipelineRunner.Staged.CLEAR, PhaseClock.startingNow(Optional.empty()));
    assertTrue(failed.failure().isPresent());
    assertFalse(Files.exists(failing.target("y")), "the checkpoint is staged, not published");

    Chain fixed = new Chain(dir.resolve("resume"), Map.of());
    ExecutionPlan plan = fixed.plan("single");
    List<String> reused = new ArrayList<>();
    RunListener watcher = new RunListener() {
      @Override
      public void stepReused(String task, String step, List<WrittenDataset> written) {
        reused.add(step + written.stream().map(w -> " " + w.dataset() + " from " + w.reusedFrom().orElse("?"))
            .collect(Collectors.joining()));
      }
    };
    TaskResult result = new PipelineRunner(new Sessions(spark), watcher).run(plan, plan.tasks(), fixed.run("second"),
        PipelineRunner.Staged.REUSE, PhaseClock.startingNow(Optional.empty())).resultsOrThrow().get(0);

    assertEquals(List.of("a", "b"), result.reusedSteps());
    assertEquals(List.of("a", "b y from first"), reused);
    assertEquals(IntStream.rangeClosed(1, 5).mapToObj(i -> i + ":" + i * 8).toList(), fixed.published("z"));
    assertEquals(IntStream.rangeClosed(1, 5).mapToObj(i -> i + ":" + i * 4).toList(), fixed.published("y"));
  }

  private static String producerOf(String dataset) {
    return Map.of("x", "a", "y", "b", "z", "c").get(dataset);
  }

  /** Phases follow each other without a gap from the clock's start, so they add up to the wall time. */
  private static List<Phase> assertPhasesBackToBack(PipelineResult result, Instant start) {
    List<Phase> phases = result.phases();
    assertEquals("pre-flight checks", phases.get(0).name());
    assertEquals("spark session start", phases.get(1).name());
    assertEquals("spark session stop", phases.get(phases.size() - 1).name());
    Instant expectedStart = start;
    Duration sum = Duration.ZERO;
    for (Phase phase : phases) {
      assertEquals(expectedStart, phase.start(), phase.toString());
      expectedStart = phase.end();
      sum = sum.plus(phase.duration());
    }
    assertEquals(Duration.between(start, phases.get(phases.size() - 1).end()), sum);
    return phases;
  }

  /** The pipeline of this test at a root of its own; {@code failing} maps a step to how it fails. */
  private static final class Chain {
    private final Path root;
    private final Path config;

    Chain(Path root, Map<String, String> failing) throws IOException {
      this.root = root;
      this.config = root.resolve("chain-" + failing.hashCode() + ".conf");
      Files.createDirectories(root);
      Files.writeString(config, """
          pipeline { name = chain }
          datasets {
            events { format = json, path = "%1$s/raw/events/run_date={run_date}", schema = "id INT, n INT" }
            x { format = parquet, path = "%1$s/work/x/run_date={run_date}" }
            y { format = parquet, path = "%1$s/work/y/run_date={run_date}", checkpoint = true }
            z { format = parquet, path = "%1$s/out/z/run_date={run_date}" }
          }
          steps {
            a { type = maybe_fail, inputs { in = events }, outputs { out = x }, params { fail = "%2$s" } }
            b { type = maybe_fail, inputs { in = x }, outputs { out = y }, params { fail = "%3$s" } }
            c { type = maybe_fail, inputs { in = y }, outputs { out = z }, params { fail = "%4$s" } }
          }
          """.formatted(root.toAbsolutePath(), failing.getOrDefault("a", "no"), failing.getOrDefault("b", "no"),
          failing.getOrDefault("c", "no")));
    }

    ExecutionPlan plan(String grouping) {
      PipelineConfig pipeline = new PipelineConfigLoader(CATALOG).load(ConfigSource.file(config), Map.of());
      return Planner.plan(pipeline, GroupingLoader.load(grouping, pipeline));
    }

    RunContext run(String id) {
      return new RunContext(RUN_DATE, Map.of(), id);
    }

    Path target(String dataset) {
      return root.resolve((dataset.equals("z") ? "out/" : "work/") + dataset + "/run_date=" + RUN_DATE);
    }

    /** Events with ids 1..rows and n = id. */
    void deliverEvents(int rows) throws IOException {
      Path folder = root.resolve("raw/events/run_date=" + RUN_DATE);
      Files.createDirectories(folder);
      Files.writeString(folder.resolve("events.json"), IntStream.rangeClosed(1, rows)
          .mapToObj(i -> "{\"id\": " + i + ", \"n\": " + i + "}").collect(Collectors.joining("\n", "", "\n")));
    }

    List<String> published(String dataset) {
      return SparkSession.active().read().parquet(target(dataset).toString()).orderBy("id").collectAsList().stream()
          .map((Row row) -> row.getInt(0) + ":" + row.getInt(1)).toList();
    }
  }

  /** The test's one session, never stopped by a run; what the runner asked of it, in order. */
  private static final class Sessions implements SparkSessions {
    private final SparkSession spark;
    final List<String> calls = new ArrayList<>();

    Sessions(SparkSession spark) {
      this.spark = spark;
    }

    @Override
    public SparkSession open(String appName, Map<String, String> settings) {
      calls.add("open");
      return spark;
    }

    @Override
    public void switchTask(SparkSession session, Map<String, String> settings) {
      calls.add("switch");
    }

    @Override
    public void close(SparkSession session) {
      calls.add("close");
    }
  }

  private static final class Recorder implements RunListener {
    final List<String> events = new ArrayList<>();

    @Override
    public void runStarting(ExecutionPlan plan, List<TaskPlan> tasks, RunContext run) {
      events.add("run starting " + tasks.stream().map(TaskPlan::name).collect(Collectors.joining(", ")));
    }

    @Override
    public void sessionStarted(SparkSession session) {
      events.add("session started");
    }

    @Override
    public void taskStarted(String task, int steps) {
      events.add("task " + task + " started");
    }

    @Override
    public void stepStarted(String task, String step) {
      events.add("step " + step + " started");
    }

    @Override
    public void datasetWritten(String task, WrittenDataset written) {
      events.add("wrote " + written.dataset());
    }

    @Override
    public void stepFinished(String task, String step, Duration elapsed) {
      events.add("step " + step + " finished");
    }

    @Override
    public void taskFinished(TaskResult result) {
      events.add("task " + result.task() + " finished");
    }
  }
}
