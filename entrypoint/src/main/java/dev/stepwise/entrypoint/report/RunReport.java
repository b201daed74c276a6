package dev.stepwise.entrypoint.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.stepwise.core.config.Secrets;
import dev.stepwise.core.model.RunContext;
import dev.stepwise.core.plan.DatasetWrite;
import dev.stepwise.core.plan.ExecutionPlan;
import dev.stepwise.core.plan.TaskPlan;
import dev.stepwise.core.run.Phase;
import dev.stepwise.core.run.PhaseKind;
import dev.stepwise.core.run.TaskResult;
import dev.stepwise.core.run.WrittenDataset;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON run report of one {@code stepwise run} process (schema in docs/observability.md). Its
 * phases follow each other from the JVM's start to the SparkSession's stop, so they add up to the
 * process's wall time; overhead is every phase but computing.
 *
 * <p>Each component is one key of the file, named in snake_case by {@link ReportJson}, in the order
 * declared here; a null component is written as null, except the warm-up ones, which a report of a
 * task that measured none leaves out.
 *
 * @param error why the run failed; then {@code tasks} holds only the tasks that finished
 * @param resumed whether the run was asked to reuse what a failed run left ({@code run --resume})
 * @param warmup the JVM's warm-up over the whole process (from its start when this command started it)
 * @param overheadShareWithWarmup the overhead share counting JIT and code generation as overhead too
 */
public record RunReport(int schemaVersion, String pipeline, String grouping, LocalDate runDate, String runId,
    List<String> tasksRun, Status status, boolean resumed, String error, Instant startedAt, Instant finishedAt,
    boolean jvmStartIncluded, double wallSeconds, double computeSeconds, double overheadSeconds,
    double overheadShare, @JsonInclude(JsonInclude.Include.NON_NULL) Warmup warmup,
    @JsonInclude(JsonInclude.Include.NON_NULL) Double overheadShareWithWarmup, SparkFacts spark,
    List<ReportPhase> phases, List<ReportTask> tasks) {

  /** Bumped on any change a reader of older reports would misread. */
  public static final int SCHEMA_VERSION = 1;

  public enum Status { SUCCEEDED, FAILED }

  /** One phase of the process, {@code startSeconds} after the report's {@code startedAt}. */
  public record ReportPhase(String name, PhaseKind kind, String task, String step, String dataset,
      double startSeconds, double seconds) {
    public boolean countsAsCompute() {
      return kind == PhaseKind.COMPUTE;
    }
  }

  /**
   * One task that finished. Its totals cover its own phases only.
   *
   * @param warmup what the JVM spent warming up while the task ran
   */
  public record ReportTask(String task, List<String> upstream, List<String> steps, List<String> reusedSteps,
      Map<String, String> taskSparkSettings, double wallSeconds, double computeSeconds, double overheadSeconds,
      double overheadShare, @JsonInclude(JsonInclude.Include.NON_NULL) Warmup warmup,
      @JsonInclude(JsonInclude.Include.NON_NULL) Double overheadShareWithWarmup, List<StepSummary> stepSummary,
      List<Written> written) {

    /** JIT and code generation while the task ran; 0 in reports written before warm-up was measured. */
    public double warmupSecondsOrZero() {
      return warmup == null ? 0 : Math.max(0, warmup.seconds());
    }
  }

  public record StepSummary(String step, double seconds, boolean reused, long rowsWritten) {}

  /**
   * A dataset the task wrote (or published from a failed run's staged copy: {@code reusedFromRun}).
   *
   * @param rows null when Spark could not count them while writing
   * @param reasons why it is materialized: cross_task, final_output, checkpoint
   */
  public record Written(String dataset, String step, String location, Long rows, double writeSeconds,
      String reusedFromRun, List<String> reasons) {}

  /**
   * What the JVM spent warming up ({@link JvmWarmup}), in seconds.
   *
   * @param seconds the part counted as overhead: JIT CPU time (the JIT's own figure without /proc) plus codegen
   * @param classLoadingSeconds always null: the JVM exposes class-loading time only through internal counters
   */
  public record Warmup(double seconds, Double jitCompileSeconds, Double jitCpuSeconds, double sparkCodegenSeconds,
      boolean sparkCodegenSecondsExact, long sparkCodegenClasses, Long sparkCodegenSourceChars, double gcSeconds,
      long gcCollections, long classesLoaded, long classesUnloaded, Double classLoadingSeconds) {

    static Warmup of(JvmWarmup w) {
      return new Warmup(rounded(w.overheadSeconds()),
          w.jitMillis().isPresent() ? rounded(w.jitMillis().getAsLong() / 1000.0) : null,
          w.jitCpuMillis().isPresent() ? rounded(w.jitCpuMillis().getAsLong() / 1000.0) : null,
          rounded(w.codegenMillis() / 1000.0), w.codegenExact(), w.codegenCompiles(),
          w.codegenSourceChars() < 0 ? null : w.codegenSourceChars(), rounded(w.gcMillis() / 1000.0),
          w.gcCollections(), w.classesLoaded(), w.classesUnloaded(), null);
    }
  }

  /**
   * The report of a run.
   *
   * @param tasks the tasks asked for; the report lists those with a result
   * @param error why the run failed, if it did
   * @param processWarmup the JVM's warm-up over the whole process, {@code taskWarmup} that paid while each task ran
   */
  public static RunReport of(ExecutionPlan plan, List<TaskPlan> tasks, RunContext run, SparkFacts spark,
      List<TaskResult> results, List<Phase> phases, Optional<String> error, boolean resumed, JvmWarmup processWarmup,
      Map<String, JvmWarmup> taskWarmup) {
    Instant start = phases.get(0).start();
    Instant end = phases.get(phases.size() - 1).end();
    Totals totals = Totals.of(Duration.between(start, end), phases);
    Warmup warmup = processWarmup == null ? null : Warmup.of(processWarmup);
    return new RunReport(SCHEMA_VERSION, plan.pipeline().name(), plan.grouping().name(), run.runDate(), run.runId(),
        tasks.stream().map(TaskPlan::name).toList(), error.isEmpty() ? Status.SUCCEEDED : Status.FAILED, resumed,
        error.orElse(null), start, end, phases.get(0).name().equals("jvm start"), totals.wall(), totals.compute(),
        totals.overhead(), totals.share(), warmup, totals.shareWithWarmup(processWarmup), spark,
        phases.stream().map(p -> phase(p, start)).toList(),
        results.stream().map(r -> task(planOf(tasks, r), r, taskWarmup.get(r.task()))).toList());
  }

  private static TaskPlan planOf(List<TaskPlan> tasks, TaskResult result) {
    return tasks.stream().filter(t -> t.name().equals(result.task())).findFirst().orElseThrow();
  }

  private static ReportTask task(TaskPlan plan, TaskResult result, JvmWarmup jvmWarmup) {
    Totals totals = Totals.of(result.elapsed(), result.phases());
    Warmup warmup = jvmWarmup == null ? null : Warmup.of(jvmWarmup);
    return new ReportTask(result.task(), plan.upstream(), result.steps(), result.reusedSteps(),
        Secrets.masked(plan.spark()), totals.wall(), totals.compute(), totals.overhead(), totals.share(), warmup,
        totals.shareWithWarmup(jvmWarmup), result.steps().stream().map(step -> stepSummary(result, step)).toList(),
        result.written().stream().map(w -> written(plan, w)).toList());
  }

  private static StepSummary stepSummary(TaskResult result, String step) {
    Duration time = result.phases().stream().filter(p -> p.step().equals(Optional.of(step)))
        .map(Phase::duration).reduce(Duration.ZERO, Duration::plus);
    return new StepSummary(step, seconds(time), result.reusedSteps().contains(step),
        result.written().stream().filter(w -> w.step().equals(step)).mapToLong(w -> Math.max(0, w.rows())).sum());
  }

  private static Written written(TaskPlan task, WrittenDataset w) {
    List<String> reasons = task.writes().stream().filter(x -> x.dataset().equals(w.dataset())).findFirst()
        .map(DatasetWrite::reasons).orElseThrow().stream().map(r -> r.name().toLowerCase(Locale.ROOT)).sorted()
        .toList();
    return new Written(w.dataset(), w.step(), w.location(), w.rows() < 0 ? null : w.rows(), seconds(w.writeTime()),
        w.reusedFrom().orElse(null), reasons);
  }

  private static ReportPhase phase(Phase p, Instant runStart) {
    return new ReportPhase(p.name(), p.kind(), p.task().orElse(null), p.step().orElse(null),
        p.dataset().orElse(null), seconds(Duration.between(runStart, p.start())), seconds(p.duration()));
  }

  /** Wall, compute and overhead seconds of some phases, and the overhead's share of the wall time. */
  private record Totals(double wall, double compute, double overhead, double share) {
    static Totals of(Duration wall, List<Phase> phases) {
      Duration compute = phases.stream().filter(p -> p.kind() == PhaseKind.COMPUTE).map(Phase::duration)
          .reduce(Duration.ZERO, Duration::plus);
      Duration overhead = phases.stream().filter(p -> p.kind() == PhaseKind.OVERHEAD).map(Phase::duration)
          .reduce(Duration.ZERO, Duration::plus);
      double share = wall.isZero() ? 0.0 : Math.round(overhead.toNanos() * 1000.0 / wall.toNanos()) / 1000.0;
      return new Totals(seconds(wall), seconds(compute), seconds(overhead), share);
    }

    /**
     * JIT and code generation sit inside the compute phases (the JIT on its own threads beside them),
     * so the share is of the wall time and capped at 1; {@code overhead_share} keeps meaning phases only.
     */
    Double shareWithWarmup(JvmWarmup warmup) {
      if (warmup == null) {
        return null;
      }
      return wall == 0 ? 0.0 : Math.round(Math.min(1.0, (overhead + warmup.overheadSeconds()) / wall) * 1000) / 1000.0;
    }
  }

  static double seconds(Duration d) {
    return d.toNanos() / 1_000_000L / 1000.0;
  }

  private static double rounded(double seconds) {
    return Math.round(seconds * 1000) / 1000.0;
  }
}
