package dev.stepwise.entrypoint.cli;

import dev.stepwise.core.model.RunContext;
import dev.stepwise.core.plan.ExecutionPlan;
import dev.stepwise.core.plan.TaskPlan;
import dev.stepwise.core.run.Phase;
import dev.stepwise.core.run.PhaseKind;
import dev.stepwise.core.run.RunListener;
import dev.stepwise.core.run.TaskResult;
import dev.stepwise.core.run.WrittenDataset;
import dev.stepwise.entrypoint.report.JvmWarmup;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One line per step start and end, one per dataset written, a table per task at its end and one of
 * the process's phases at the very end: readable in an Airflow task log.
 */
final class ProgressPrinter implements RunListener {
  private final PrintWriter out;

  ProgressPrinter(PrintWriter out) {
    this.out = out;
  }

  @Override
  public void runStarting(ExecutionPlan plan, List<TaskPlan> tasks, RunContext run) {
    out.printf("stepwise run: pipeline %s, grouping %s, run date %s, %s%n", plan.pipeline().name(),
        plan.grouping().name(), run.runDate(), tasks.size() == 1 ? "task " + tasks.get(0).name()
            : tasks.size() + " tasks: " + tasks.stream().map(TaskPlan::name).collect(Collectors.joining(", ")));
    out.flush();
  }

  @Override
  public void taskStarted(String task, int steps) {
    out.printf("task %s: %d step%s%n", task, steps, steps == 1 ? "" : "s");
    out.flush();
  }

  @Override
  public void stepStarted(String task, String step) {
    out.printf("  > %s%n", step);
    out.flush();
  }

  @Override
  public void datasetWritten(String task, WrittenDataset written) {
    out.printf("      wrote %-28s %10s rows in %6s  %s%n", written.dataset(),
        written.rows() < 0 ? "?" : String.format(Locale.ROOT, "%,d", written.rows()),
        seconds(written.writeTime()), written.location());
    out.flush();
  }

  @Override
  public void stepReused(String task, String step, List<WrittenDataset> reused) {
    if (reused.isEmpty()) {
      out.printf("  = %s skipped: only skipped steps read what it computes%n", step);
    }
    for (WrittenDataset w : reused) {
      out.printf("  = %s reused %s (%s rows) from the failed run %s%n", step, w.dataset(),
          w.rows() < 0 ? "?" : String.format(Locale.ROOT, "%,d", w.rows()), w.reusedFrom().orElse("?"));
    }
    out.flush();
  }

  @Override
  public void expectationChecked(String task, dev.stepwise.core.quality.ExpectationResult result) {
    out.printf("  %s %s%n", result.passed() ? "check" : "WARNING", result.describe());
    out.flush();
  }

  @Override
  public void stepFinished(String task, String step, Duration elapsed) {
    out.printf("  < %s (%s)%n", step, seconds(elapsed));
    out.flush();
  }

  @Override
  public void taskFinished(TaskResult result) {
    long rows = result.written().stream().mapToLong(w -> Math.max(0, w.rows())).sum();
    out.printf("task %s done in %s: %d step%s, wrote %d dataset%s (%,d rows)%s%n", result.task(),
        seconds(result.elapsed()), result.steps().size(), result.steps().size() == 1 ? "" : "s",
        result.written().size(), result.written().size() == 1 ? "" : "s", rows,
        result.reusedSteps().isEmpty() ? "" : "; " + result.reusedSteps().size() + " step"
            + (result.reusedSteps().size() == 1 ? "" : "s") + " reused from a failed run");
    out.printf("  %-28s %9s %12s  %s%n", "step", "time", "rows written", "datasets written");
    for (String step : result.steps()) {
      Duration time = result.phases().stream().filter(p -> p.step().equals(Optional.of(step)))
          .map(Phase::duration).reduce(Duration.ZERO, Duration::plus);
      List<WrittenDataset> written = result.written().stream().filter(w -> w.step().equals(step)).toList();
      out.printf("  %-28s %9s %12s  %s%n", step, result.reusedSteps().contains(step) ? "reused" : seconds(time),
          written.isEmpty() ? "-" : String.format(Locale.ROOT, "%,d", written.stream().mapToLong(w -> Math.max(0, w.rows())).sum()),
          written.isEmpty() ? "(in memory)" : String.join(", ", written.stream().map(WrittenDataset::dataset).toList()));
    }
    out.printf("  %-28s %9s%n", "(task overhead)", seconds(result.time(PhaseKind.OVERHEAD)));
    out.flush();
  }

  /** Where the whole process's wall time went, overhead phases first added up by name. */
  static void printPhases(PrintWriter out, List<Phase> phases) {
    Map<String, Duration> overhead = new LinkedHashMap<>();
    Duration compute = Duration.ZERO;
    Duration wall = Duration.ZERO;
    for (Phase p : phases) {
      wall = wall.plus(p.duration());
      if (p.kind() == PhaseKind.COMPUTE) {
        compute = compute.plus(p.duration());
      } else {
        overhead.merge(p.task().isPresent() ? "task " + p.name() : p.name(), p.duration(), Duration::plus);
      }
    }
    Duration overheadTotal = wall.minus(compute);
    out.printf("wall time %s: compute %s, overhead %s (%.0f%%)%n", seconds(wall), seconds(compute),
        seconds(overheadTotal), wall.isZero() ? 0.0 : 100.0 * overheadTotal.toNanos() / wall.toNanos());
    overhead.forEach((name, time) -> out.printf("  overhead %-28s %9s%n", name, seconds(time)));
    out.flush();
  }

  /** The JVM's warm-up: the process's, then each task's share of it. */
  static void printWarmup(PrintWriter out, JvmWarmup process, Map<String, JvmWarmup> tasks) {
    out.printf("jvm warm-up (process): %s%n", process.describe());
    tasks.forEach((task, warmup) -> out.printf("  warm-up in task %-17s %s%n", task, warmup.describe()));
    out.println("  (class-loading time is not measurable through a supported JVM API: counts only)");
    out.flush();
  }

  static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }
}
