package dev.stepwise.entrypoint.advise;

import dev.stepwise.entrypoint.report.RunReport;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A self-contained HTML page (no script, style or font from the network) drawing a pipeline run on
 * a time axis: one lane per task process, each phase a bar, overhead grey and compute blue, every
 * step's bars labelled with the step. A small inline script counts the step bars the browser laid
 * out and writes the count on {@code <body data-steps-rendered>}, which a headless browser test reads.
 */
public final class TimelineHtml {
  private static final int LABEL_WIDTH = 170;
  private static final int PLOT_WIDTH = 1000;
  private static final int LANE_HEIGHT = 34;
  private static final int AXIS_HEIGHT = 30;

  private TimelineHtml() {}

  public static String render(List<RunReport> runs) {
    List<RunReport> lanes = runs.stream().sorted(Comparator.comparing(RunReport::startedAt)).toList();
    Instant origin = lanes.get(0).startedAt();
    double end = lanes.stream().mapToDouble(r -> offset(origin, r.startedAt()) + r.wallSeconds()).max().orElse(1);
    double scale = PLOT_WIDTH / Math.max(end, 0.001);
    int height = AXIS_HEIGHT + lanes.size() * LANE_HEIGHT + 10;
    RunReport first = lanes.get(0);
    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\">%n",
        LABEL_WIDTH + PLOT_WIDTH + 20, height));
    axis(svg, end, scale, height);
    int lane = 0;
    for (RunReport run : lanes) {
      int y = AXIS_HEIGHT + lane++ * LANE_HEIGHT;
      String task = run.tasks().size() == 1 ? run.tasks().get(0).task() : String.join("+", run.tasks().stream()
          .map(RunReport.ReportTask::task).toList());
      svg.append(String.format(Locale.ROOT, "<text class=\"task\" x=\"4\" y=\"%d\">%s</text>%n", y + 21,
          escape(task)));
      double base = offset(origin, run.startedAt());
      for (RunReport.ReportPhase phase : run.phases()) {
        double x = LABEL_WIDTH + (base + phase.startSeconds()) * scale;
        // A step that took 20 ms still gets a visible sliver; its tooltip tells the real time.
        double width = Math.max(phase.seconds() * scale, phase.countsAsCompute() ? 2 : 0.5);
        String step = phase.step() == null ? "" : phase.step();
        String title = (phase.task() == null ? "" : phase.task() + ": ") + phase.name() + " — "
            + String.format(Locale.ROOT, "%.2f s", phase.seconds()) + (phase.countsAsCompute() ? " compute" : " overhead");
        svg.append(String.format(Locale.ROOT,
            "<rect class=\"phase %s%s\" data-task=\"%s\" data-step=\"%s\" x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%d\">"
                + "<title>%s</title></rect>%n",
            phase.countsAsCompute() ? "compute" : "overhead", step.isEmpty() ? "" : " step", escape(task), escape(step), x,
            y + 6, width, LANE_HEIGHT - 12, escape(title)));
        // Applying a step takes milliseconds and writing its output the time: label whichever bar has room.
        if (phase.countsAsCompute() && !step.isEmpty() && width > 7.0 * step.length()) {
          svg.append(String.format(Locale.ROOT, "<text class=\"label\" x=\"%.2f\" y=\"%d\">%s</text>%n", x + 3,
              y + 21, escape(step)));
        }
      }
    }
    svg.append("</svg>\n");

    StringBuilder table = new StringBuilder("<table><tr><th>task</th><th>wall s</th><th>compute s</th>"
        + "<th>overhead s</th><th>overhead share</th></tr>\n");
    double wall = 0;
    double compute = 0;
    for (RunReport run : lanes) {
      table.append(String.format(Locale.ROOT,
          "<tr><td>%s</td><td>%.1f</td><td>%.1f</td><td>%.1f</td><td>%.0f%%</td></tr>%n",
          escape(String.join(", ", run.tasks().stream().map(RunReport.ReportTask::task).toList())),
          run.wallSeconds(), run.computeSeconds(), run.overheadSeconds(),
          run.wallSeconds() == 0 ? 0 : 100 * run.overheadSeconds() / run.wallSeconds()));
      wall += run.wallSeconds();
      compute += run.computeSeconds();
    }
    table.append(String.format(Locale.ROOT,
        "<tr class=\"total\"><td>all tasks</td><td>%.1f</td><td>%.1f</td><td>%.1f</td><td>%.0f%%</td></tr></table>%n",
        wall, compute, wall - compute, wall == 0 ? 0 : 100 * (wall - compute) / wall));

    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
        + "<title>" + escape("stepwise run: " + first.pipeline() + " / " + first.grouping() + " / " + first.runDate())
        + "</title>\n<style>\n"
        + "body{font-family:sans-serif;margin:16px;color:#222}\n"
        + ".phase{stroke:#fff;stroke-width:0.6}.overhead{fill:#b8bec7}.compute{fill:#2f6fdf}.task{font-size:13px;font-weight:bold}\n"
        + ".label{font-size:11px;fill:#fff;pointer-events:none}.axis{font-size:11px;fill:#555}\n"
        + ".tick{stroke:#ddd}.legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px}\n"
        + "table{border-collapse:collapse;margin-top:12px}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}\n"
        + "td:first-child,th:first-child{text-align:left}.total{font-weight:bold}\n"
        + "</style></head>\n<body data-steps-rendered=\"0\">\n"
        + "<h1>" + escape(first.pipeline() + ": grouping " + first.grouping() + ", run date " + first.runDate())
        + "</h1>\n"
        + "<p class=\"legend\"><span style=\"background:#b8bec7\"></span>overhead"
        + "<span style=\"background:#2f6fdf\"></span>compute (steps and the datasets they write)."
        + " Hover a bar for its phase and time.</p>\n"
        + svg + table
        + "<script>\n"
        + "// Counts the step bars the browser actually laid out, for a headless browser test to read back.\n"
        + "const steps = new Set();\n"
        + "document.querySelectorAll('rect.step').forEach(r => {\n"
        + "  const box = r.getBoundingClientRect();\n"
        + "  if (box.width > 0 && box.height > 0) steps.add(r.dataset.task + '/' + r.dataset.step);\n"
        + "});\n"
        + "document.body.dataset.stepsRendered = String(steps.size);\n"
        + "document.body.dataset.stepNames = [...steps].sort().join(' ');\n"
        + "</script>\n</body></html>\n";
  }

  private static void axis(StringBuilder svg, double end, double scale, int height) {
    double step = niceStep(end / 10);
    for (double t = 0; t <= end + 1e-9; t += step) {
      double x = LABEL_WIDTH + t * scale;
      svg.append(String.format(Locale.ROOT, "<line class=\"tick\" x1=\"%.2f\" y1=\"%d\" x2=\"%.2f\" y2=\"%d\"/>"
          + "<text class=\"axis\" x=\"%.2f\" y=\"14\">%s s</text>%n", x, AXIS_HEIGHT - 8, x, height,
          x + 2, step >= 1 ? String.format(Locale.ROOT, "%.0f", t) : String.format(Locale.ROOT, "%.1f", t)));
    }
  }

  private static double niceStep(double raw) {
    double[] steps = {0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600};
    for (double s : steps) {
      if (s >= raw) {
        return s;
      }
    }
    return 7200;
  }

  private static double offset(Instant origin, Instant at) {
    return Duration.between(origin, at).toNanos() / 1e9;
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
