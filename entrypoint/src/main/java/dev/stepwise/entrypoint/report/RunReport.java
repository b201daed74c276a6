package dev.stepwise.entrypoint.report;

import dev.stepwise.core.config.Secrets;
import dev.stepwise.core.model.RunContext;
import dev.stepwise.core.plan.DatasetWrite;
import dev.stepwise.core.plan.ExecutionPlan;
import dev.stepwise.core.plan.TaskPlan;
import dev.stepwise.core.run.Phase;
import dev.stepwise.core.run.PhaseKind;
import dev.stepwise.core.run.TaskResult;
import dev.stepwise.core.run.WrittenDataset;
import dev.stepwise.entrypoint.render.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;

/**
 * The JSON run report of one {@code stepwise run} process (schema in README, "Observability"). Its
 * phases follow each other from the JVM's start to the SparkSession's stop, so they add up to the
 * process's wall time; overhead is every phase but computing.
 */
public final class RunReport {
  /** Bumped on any change a reader of older reports would misread. */
  public static final int SCHEMA_VERSION = 1;

  private final ExecutionPlan plan;
  private final List<TaskPlan> tasks;
  private final RunContext run;
  private final SparkFacts spark;
  private final List<TaskResult> results;
  private final List<Phase> phases;
  private final Optional<String> error;
  private final boolean resumed;
  private final JvmWarmup processWarmup;
  private final Map<String, JvmWarmup> taskWarmup;

  /**
   * @param error why the run failed; then {@code tasks} of the report holds only the tasks that finished
   * @param resumed whether the run was asked to reuse what a failed run left ({@code run --resume})
   * @param processWarmup the JVM's warm-up over the whole process (from its start when this command
   *     started it), {@code taskWarmup} that paid while each task ran
   */
  public RunReport(ExecutionPlan plan, List<TaskPlan> tasks, RunContext run, SparkFacts spark, List<TaskResult> results,
      List<Phase> phases, Optional<String> error, boolean resumed, JvmWarmup processWarmup,
      Map<String, JvmWarmup> taskWarmup) {
    this.processWarmup = processWarmup;
    this.taskWarmup = Map.copyOf(taskWarmup);
    this.plan = plan;
    this.tasks = List.copyOf(tasks);
    this.run = run;
    this.spark = spark;
    this.results = List.copyOf(results);
    this.phases = List.copyOf(phases);
    this.error = error;
    this.resumed = resumed;
  }

  Map<String, Object> json() {
    Instant start = phases.get(0).start();
    Instant end = phases.get(phases.size() - 1).end();
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("schema_version", SCHEMA_VERSION);
    root.put("pipeline", plan.pipeline().name());
    root.put("grouping", plan.grouping().name());
    root.put("run_date", run.runDate().toString());
    root.put("run_id", run.runId());
    root.put("tasks_run", tasks.stream().map(TaskPlan::name).toList());
    root.put("status", error.isEmpty() ? "succeeded" : "failed");
    root.put("resumed", resumed);
    root.put("error", error.orElse(null));
    root.put("started_at", start.toString());
    root.put("finished_at", end.toString());
    root.put("jvm_start_included", phases.get(0).name().equals("jvm start"));
    putTotals(root, Duration.between(start, end), phases);
    putWarmup(root, processWarmup);
    Map<String, Object> sparkJson = new LinkedHashMap<>();
    sparkJson.put("application_id", spark.applicationId());
    sparkJson.put("master", spark.master());
    sparkJson.put("version", spark.version());
    sparkJson.put("settings", spark.settings());
    root.put("spark", sparkJson);
    root.put("phases", phases.stream().map(p -> phase(p, start)).toList());
    root.put("tasks", results.stream().map(this::task).toList());
    return root;
  }

  /**
   * Writes the report through Hadoop's FileSystem, so a root on any file system Spark writes to
   * (a plain path, {@code file:}, {@code hdfs:}, {@code s3a:}) holds its reports too.
   *
   * @throws ReportNotWrittenException naming the location and the cause
   */
  public void write(org.apache.hadoop.fs.Path location, Configuration hadoop) {
    byte[] json = (Json.write(json()) + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      FileSystem fs = location.getFileSystem(hadoop);
      fs.setWriteChecksum(false); // no .report.json.crc beside the report on a local root
      org.apache.hadoop.fs.Path parent = location.getParent();
      if (parent != null && !fs.exists(parent) && !fs.mkdirs(parent)) {
        throw new IOException("cannot create folder " + parent);
      }
      try (FSDataOutputStream out = fs.create(location, true)) {
        out.write(json);
      }
    } catch (IOException | RuntimeException e) {
      throw new ReportNotWrittenException(location, e);
    }
  }

  private Map<String, Object> task(TaskResult result) {
    TaskPlan taskPlan = tasks.stream().filter(t -> t.name().equals(result.task())).findFirst().orElseThrow();
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("task", result.task());
    t.put("upstream", taskPlan.upstream());
    t.put("steps", result.steps());
    t.put("reused_steps", result.reusedSteps());
    t.put("task_spark_settings", Secrets.masked(taskPlan.spark()));
    putTotals(t, result.elapsed(), result.phases());
    putWarmup(t, taskWarmup.get(result.task()));
    t.put("step_summary", result.steps().stream().map(step -> stepSummary(result, step)).toList());
    t.put("written", result.written().stream().map(w -> written(taskPlan, w)).toList());
    return t;
  }

  private static Map<String, Object> stepSummary(TaskResult result, String step) {
    Duration time = result.phases().stream().filter(p -> p.step().equals(Optional.of(step)))
        .map(Phase::duration).reduce(Duration.ZERO, Duration::plus);
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("step", step);
    s.put("seconds", seconds(time));
    s.put("reused", result.reusedSteps().contains(step));
    s.put("rows_written", result.written().stream().filter(w -> w.step().equals(step))
        .mapToLong(w -> Math.max(0, w.rows())).sum());
    return s;
  }

  private static Map<String, Object> written(TaskPlan task, WrittenDataset w) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("dataset", w.dataset());
    d.put("step", w.step());
    d.put("location", w.location());
    d.put("rows", w.rows() < 0 ? null : w.rows());
    d.put("write_seconds", seconds(w.writeTime()));
    d.put("reused_from_run", w.reusedFrom().orElse(null));
    d.put("reasons", task.writes().stream().filter(x -> x.dataset().equals(w.dataset())).findFirst()
        .map(DatasetWrite::reasons).orElseThrow().stream().map(r -> r.name().toLowerCase(Locale.ROOT)).sorted()
        .toList());
    return d;
  }

  private static Map<String, Object> phase(Phase p, Instant runStart) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", p.name());
    m.put("kind", p.kind().name().toLowerCase(Locale.ROOT));
    m.put("task", p.task().orElse(null));
    m.put("step", p.step().orElse(null));
    m.put("dataset", p.dataset().orElse(null));
    m.put("start_seconds", seconds(Duration.between(runStart, p.start())));
    m.put("seconds", seconds(p.duration()));
    return m;
  }

  private static void putTotals(Map<String, Object> into, Duration wall, List<Phase> phases) {
    Duration compute = phases.stream().filter(p -> p.kind() == PhaseKind.COMPUTE).map(Phase::duration)
        .reduce(Duration.ZERO, Duration::plus);
    Duration overhead = phases.stream().filter(p -> p.kind() == PhaseKind.OVERHEAD).map(Phase::duration)
        .reduce(Duration.ZERO, Duration::plus);
    into.put("wall_seconds", seconds(wall));
    into.put("compute_seconds", seconds(compute));
    into.put("overhead_seconds", seconds(overhead));
    into.put("overhead_share", wall.isZero() ? 0.0 : Math.round(overhead.toNanos() * 1000.0 / wall.toNanos()) / 1000.0);
  }

  /**
   * The warm-up object, and the overhead share counting JIT and code generation as overhead too: they
   * sit inside the compute phases (the JIT on its own threads beside them), so the share is of the
   * wall time and capped at 1. {@code overhead_share} keeps meaning phases only.
   */
  private static void putWarmup(Map<String, Object> into, JvmWarmup warmup) {
    if (warmup == null) {
      return;
    }
    into.put("warmup", warmup.json());
    double wall = (double) into.get("wall_seconds");
    double overhead = (double) into.get("overhead_seconds");
    into.put("overhead_share_with_warmup", wall == 0 ? 0.0
        : Math.round(Math.min(1.0, (overhead + warmup.overheadSeconds()) / wall) * 1000) / 1000.0);
  }

  static double seconds(Duration d) {
    return d.toNanos() / 1_000_000L / 1000.0;
  }
}
