package dev.stepwise.entrypoint;

import dev.stepwise.core.run.RunListener;
import dev.stepwise.core.run.TaskResult;
import dev.stepwise.core.run.WrittenDataset;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/** One line per step start and end, one per dataset written: readable in an Airflow task log. */
final class ProgressPrinter implements RunListener {
  private final PrintWriter out;

  ProgressPrinter(PrintWriter out) {
    this.out = out;
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
    out.printf("task %s done in %s: %d step%s, wrote %d dataset%s (%,d rows)%n", result.task(),
        seconds(result.elapsed()), result.steps().size(), result.steps().size() == 1 ? "" : "s",
        result.written().size(), result.written().size() == 1 ? "" : "s", rows);
    out.flush();
  }

  static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }
}
