package dev.stepwise.entrypoint.advise;

import dev.stepwise.entrypoint.report.ReportedRun;
import dev.stepwise.entrypoint.report.RunReport;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one task of a pipeline run cost, from its run report.
 *
 * @param overheadByPhase overhead seconds by phase name ("spark session start", "jvm start", ...)
 */
public record TaskCost(String task, List<String> steps, Map<String, String> sparkSettings, double overheadSeconds,
    double computeSeconds, Map<String, Double> overheadByPhase, Path report) {

  /** The name under which a task's JVM warm-up shows in the overhead breakdown. */
  public static final String WARMUP_PHASE = "jvm warm-up (JIT + codegen)";

  /**
   * A task's whole cost as a scheduler pays it: its own phases plus its share of what the process
   * spent outside tasks (JVM and SparkSession start and stop, config, pre-flight), split evenly when
   * one process ran several tasks.
   *
   * <p>The JVM warm-up a task paid while computing (JIT, Spark's code generation) counts as overhead
   * too, moved out of its compute: a JVM that already ran the tasks before it in a merged task has
   * most of it done, so merging saves it like a start-up. It is capped at the task's compute so the
   * task's total stays its run time.
   */
  public static TaskCost of(ReportedRun run, RunReport.ReportTask task) {
    RunReport report = run.report();
    int tasks = report.tasks().size();
    double processOverhead = report.overheadSeconds()
        - report.tasks().stream().mapToDouble(RunReport.ReportTask::overheadSeconds).sum();
    double warmup = Math.min(task.warmupSecondsOrZero(), task.computeSeconds());
    double overhead = task.overheadSeconds() + processOverhead / tasks + warmup;
    Map<String, Double> breakdown = new LinkedHashMap<>();
    for (RunReport.ReportPhase p : report.phases()) {
      if (!p.countsAsCompute() && (p.task() == null || p.task().equals(task.task()))) {
        double share = p.task() == null ? p.seconds() / tasks : p.seconds();
        breakdown.merge(p.name(), share, Double::sum);
      }
    }
    if (warmup > 0) {
      breakdown.put(WARMUP_PHASE, warmup);
    }
    return new TaskCost(task.task(), task.steps(), task.taskSparkSettings(), overhead, task.computeSeconds() - warmup,
        breakdown, run.file());
  }

  public double runSeconds() {
    return overheadSeconds + computeSeconds;
  }

  public double overheadShare() {
    return runSeconds() == 0 ? 0 : overheadSeconds / runSeconds();
  }
}
