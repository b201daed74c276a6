package dev.stepwise.entrypoint.report;

import dev.stepwise.core.config.GroupingLoader;
import dev.stepwise.core.config.PipelineConfigLoader;
import dev.stepwise.core.model.ConfigSource;
import dev.stepwise.core.model.PipelineConfig;
import dev.stepwise.core.model.RunContext;
import dev.stepwise.core.plan.DatasetWrite;
import dev.stepwise.core.plan.ExecutionPlan;
import dev.stepwise.core.plan.Planner;
import dev.stepwise.core.plan.TaskPlan;
import dev.stepwise.core.run.Phase;
import dev.stepwise.core.run.PhaseKind;
import dev.stepwise.core.run.TaskResult;
import dev.stepwise.core.run.WrittenDataset;
import dev.stepwise.core.step.StepCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.TreeMap;

/**
 * Run reports of the example pipeline built without Spark from seeded random runs: any grouping,
 * one task or all, failed or not, resumed steps, uncounted rows, warm-up measured or not, durations
 * down to the nanosecond (so rounding to milliseconds is exercised).
 */
final class SampleReports {
  static final Path CONFIG = Path.of("..", "conf", "payments.conf").toAbsolutePath().normalize();
  private static final List<String> GROUPINGS = List.of("daily", "per-step", "single");

  private final Map<String, ExecutionPlan> plans = new LinkedHashMap<>();

  SampleReports(Path storageRoot) {
    PipelineConfig pipeline = new PipelineConfigLoader(StepCatalog.discover(getClass().getClassLoader()))
        .load(ConfigSource.file(CONFIG), Map.of("pipeline.storage_root", storageRoot.toString()));
    for (String grouping : GROUPINGS) {
      plans.put(grouping, Planner.plan(pipeline, GroupingLoader.load(grouping, pipeline)));
    }
  }

  /** The inputs {@link RunReport#of} takes, so a test can also hand them to another writer. */
  record Inputs(ExecutionPlan plan, List<TaskPlan> tasks, RunContext run, SparkFacts spark, List<TaskResult> results,
      List<Phase> phases, Optional<String> error, boolean resumed, JvmWarmup processWarmup,
      Map<String, JvmWarmup> taskWarmup) {
    RunReport report() {
      return RunReport.of(plan, tasks, run, spark, results, phases, error, resumed, processWarmup, taskWarmup);
    }
  }

  Inputs generate(long seed) {
    Random random = new Random(seed);
    ExecutionPlan plan = plans.get(GROUPINGS.get(random.nextInt(GROUPINGS.size())));
    List<TaskPlan> tasks = random.nextBoolean() ? plan.tasks()
        : List.of(plan.tasks().get(random.nextInt(plan.tasks().size())));
    boolean failed = random.nextInt(4) == 0;
    boolean resumed = !failed && tasks.size() == 1 && random.nextInt(3) == 0;
    int finished = failed ? random.nextInt(tasks.size()) : tasks.size();
    Instant clock = Instant.parse("2026-11-21T03:00:00Z").plusNanos(random.nextInt(1_000_000_000));
    List<Phase> phases = new ArrayList<>();
    if (random.nextBoolean()) {
      clock = lap(phases, "jvm start", PhaseKind.OVERHEAD, null, null, null, clock, random);
    }
    for (String name : List.of("config and plan", "pre-flight checks", "spark session start")) {
      clock = lap(phases, name, PhaseKind.OVERHEAD, null, null, null, clock, random);
    }
    List<TaskResult> results = new ArrayList<>();
    Map<String, JvmWarmup> taskWarmup = new LinkedHashMap<>();
    for (TaskPlan task : tasks.subList(0, finished)) {
      if (task != tasks.get(0)) {
        clock = lap(phases, "switch to task " + task.name(), PhaseKind.OVERHEAD, null, null, null, clock, random);
      }
      Instant taskStart = clock;
      List<Phase> taskPhases = new ArrayList<>();
      clock = lap(taskPhases, "read inputs", PhaseKind.OVERHEAD, task.name(), null, null, clock, random);
      List<String> reused = new ArrayList<>();
      List<WrittenDataset> written = new ArrayList<>();
      for (String step : task.stepNames()) {
        boolean reuse = resumed && random.nextBoolean();
        if (reuse) {
          reused.add(step);
          clock = lap(taskPhases, "reuse staged outputs", PhaseKind.OVERHEAD, task.name(), step, null, clock, random);
        } else {
          clock = lap(taskPhases, "step " + step, PhaseKind.COMPUTE, task.name(), step, null, clock, random);
        }
        for (DatasetWrite write : task.writes().stream().filter(w -> w.producerStep().equals(step)).toList()) {
          Duration writeTime = Duration.ofNanos(random.nextInt(2_000_000_000));
          if (!reuse) {
            clock = lap(taskPhases, "write " + write.dataset(), PhaseKind.COMPUTE, task.name(), step, write.dataset(),
                clock, random);
          }
          written.add(new WrittenDataset(write.dataset(), step, "file:/data/" + write.dataset() + "/run_date=2026-11-21",
              random.nextInt(5) == 0 ? -1 : random.nextInt(2_000_000), writeTime,
              reuse ? Optional.of("2026-11-21-" + Long.toString(seed, 36) + "-42") : Optional.empty()));
        }
      }
      clock = lap(taskPhases, "publish", PhaseKind.OVERHEAD, task.name(), null, null, clock, random);
      phases.addAll(taskPhases);
      results.add(new TaskResult(task.name(), task.stepNames(), written, Duration.between(taskStart, clock), taskPhases,
          reused));
      if (random.nextInt(5) != 0) {
        taskWarmup.put(task.name(), warmup(random));
      }
    }
    Optional<String> error = Optional.empty();
    if (failed) {
      String task = tasks.get(finished).name();
      clock = lap(phases, "failed task " + task, PhaseKind.OVERHEAD, null, null, null, clock, random);
      error = Optional.of("step 'x' of task '" + task + "' failed: \"quoted\" \\ and\na second line ü");
    }
    lap(phases, "spark session stop", PhaseKind.OVERHEAD, null, null, null, clock, random);
    Map<String, String> settings = new TreeMap<>(Map.of("spark.master", "local[2]", "spark.app.name",
        "stepwise:payments", "spark.sql.shuffle.partitions", Integer.toString(1 + random.nextInt(64))));
    SparkFacts spark = new SparkFacts("local-" + (1_700_000_000_000L + seed), "local[2]", "4.2.0", "17.0.15+6", settings);
    RunContext run = new RunContext(LocalDate.of(2026, 11, 21).plusDays(random.nextInt(30)),
        random.nextBoolean() ? Map.of() : Map.of("region", "eu"), "2026-11-21-" + Long.toString(seed, 36) + "-7");
    return new Inputs(plan, tasks, run, spark, results, phases, error, resumed, warmup(random), taskWarmup);
  }

  private static Instant lap(List<Phase> into, String name, PhaseKind kind, String task, String step, String dataset,
      Instant start, Random random) {
    Duration duration = Duration.ofNanos(random.nextInt(5) == 0 ? 0 : random.nextInt(1_500_000_000) * 2L);
    into.add(new Phase(name, kind, Optional.ofNullable(task), Optional.ofNullable(step), Optional.ofNullable(dataset),
        start, duration));
    return start.plus(duration);
  }

  private static JvmWarmup warmup(Random random) {
    return new JvmWarmup(random.nextInt(6) == 0 ? OptionalLong.empty() : OptionalLong.of(random.nextInt(40_000)),
        random.nextInt(4) == 0 ? OptionalLong.empty() : OptionalLong.of(random.nextInt(40_000)), random.nextInt(300),
        random.nextDouble() * 5_000, random.nextBoolean(), random.nextInt(4) == 0 ? -1 : random.nextInt(900_000),
        random.nextInt(50), random.nextInt(3_000), 20_000 + random.nextInt(5_000), random.nextInt(10));
  }
}
