package dev.stepwise.entrypoint.advise;

import dev.stepwise.core.config.Secrets;
import dev.stepwise.core.model.PipelineConfig;
import dev.stepwise.core.model.TaskSpec;
import dev.stepwise.core.plan.TaskPlan;
import dev.stepwise.entrypoint.render.Counted;
import dev.stepwise.entrypoint.report.ReportedRun;
import dev.stepwise.entrypoint.report.RunReport;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What {@code stepwise advise} prints: a grouping file {@code validate --grouping FILE} accepts, proposed
 * from the run reports of one pipeline run, its reasoning as comments.
 */
public final class GroupingProposal {
  private GroupingProposal() {}

  /**
   * The reports must be of one full run: one pipeline, grouping and run date, each run succeeded and
   * none resumed (a resumed task's times leave out the work it reused).
   */
  public static void checkOneRun(List<ReportedRun> runs) {
    for (ReportedRun run : runs) {
      RunReport report = run.report();
      if (report.status() != RunReport.Status.SUCCEEDED) {
        throw new UnusableReportsException(run.file() + " is the report of a failed run (" + report.error()
            + "); advise on the reports of a successful run");
      }
      for (RunReport.ReportTask task : report.tasks()) {
        if (!task.reusedSteps().isEmpty()) {
          throw new UnusableReportsException(run.file() + " is the report of a resumed run: task '" + task.task()
              + "' reused steps " + task.reusedSteps() + " of a failed run, so its times leave their work out;"
              + " advise on the reports of a full run");
        }
      }
    }
    RunReport first = runs.get(0).report();
    for (ReportedRun run : runs) {
      RunReport report = run.report();
      if (!report.pipeline().equals(first.pipeline()) || !report.grouping().equals(first.grouping())
          || !report.runDate().equals(first.runDate())) {
        throw new UnusableReportsException("the reports are not of one pipeline run: " + runs.get(0).file() + " is "
            + describe(first) + " but " + run.file() + " is " + describe(report)
            + "; pass the reports of one run date and grouping");
      }
    }
  }

  /** The proposed grouping file for {@code pipeline}, from the reports of one of its runs. */
  public static String text(PipelineConfig pipeline, List<ReportedRun> runs, double threshold) {
    checkOneRun(runs);
    RunReport first = runs.get(0).report();
    List<TaskCost> costs = costs(runs);
    GroupingAdvisor.Advice advice = new GroupingAdvisor(pipeline, first.grouping(), threshold).advise(costs);
    return render(first, runs.size(), costs, advice, threshold);
  }

  private static List<TaskCost> costs(List<ReportedRun> runs) {
    List<TaskCost> costs = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (ReportedRun run : runs) {
      for (RunReport.ReportTask task : run.report().tasks()) {
        if (!seen.add(task.task())) {
          throw new UnusableReportsException("task '" + task.task() + "' appears in two reports (" + run.file()
              + " and another); pass one report per task");
        }
        costs.add(TaskCost.of(run, task));
      }
    }
    return costs;
  }

  private static String describe(RunReport run) {
    return "pipeline " + run.pipeline() + ", grouping " + run.grouping() + ", run date " + run.runDate();
  }

  /** The proposed grouping as a file {@code validate --grouping FILE} accepts; the reasoning as comments. */
  private static String render(RunReport first, int reports, List<TaskCost> costs, GroupingAdvisor.Advice advice,
      double threshold) {
    StringBuilder text = new StringBuilder();
    text.append(String.format(Locale.ROOT, "# Proposed by `stepwise advise` from %d run report%s of pipeline %s,"
        + " grouping %s, run date %s.%n", reports, reports == 1 ? "" : "s", first.pipeline(), first.grouping(),
        first.runDate()));
    text.append(String.format(Locale.ROOT, "# Merge tasks whose overhead is >= %.0f%% of their run time,"
        + " keeping the task graph acyclic: %s -> %d.%n#%n", 100 * threshold,
        Counted.of(advice.before().tasks().size(), "task"), advice.after().tasks().size()));
    text.append(String.format(Locale.ROOT, "# %-28s %9s %9s %9s %9s%n", "task (as run)", "run s", "compute s",
        "overhead", "share"));
    double run = 0;
    double overhead = 0;
    for (TaskCost cost : costs.stream().sorted(Comparator.comparingInt(
        c -> advice.before().taskNames().indexOf(c.task()))).toList()) {
      text.append(String.format(Locale.ROOT, "# %-28s %9.1f %9.1f %9.1f %8.0f%%%n", cost.task(), cost.runSeconds(),
          cost.computeSeconds(), cost.overheadSeconds(), 100 * cost.overheadShare()));
      run += cost.runSeconds();
      overhead += cost.overheadSeconds();
    }
    text.append(String.format(Locale.ROOT, "# %-28s %9.1f %9.1f %9.1f %8.0f%%%n#%n", "all tasks", run, run - overhead,
        overhead, run == 0 ? 0 : 100 * overhead / run));
    if (advice.merges().isEmpty()) {
      text.append("# No merge proposed: every task is under the threshold or merging would make a cycle.\n");
    }
    int i = 1;
    for (GroupingAdvisor.Merge merge : advice.merges()) {
      text.append("# ").append(i++).append(". merge ").append(String.join(" + ", merge.tasks()))
          .append(" (becomes task ").append(merge.into()).append("):\n");
      text.append(HoconComment.wrapped(merge.reason()));
    }
    for (String note : advice.notes()) {
      text.append("# note:\n");
      text.append(HoconComment.wrapped(note));
    }
    text.append('\n').append("description = ").append(quote("Proposed by stepwise advise from the "
        + first.grouping() + " run of " + first.runDate())).append('\n');
    text.append("tasks {\n");
    for (TaskPlan task : advice.after().tasks()) {
      TaskSpec spec = advice.after().grouping().tasks().stream().filter(t -> t.name().equals(task.name()))
          .findFirst().orElseThrow();
      text.append("  ").append(task.name()).append(" {\n");
      text.append("    steps = [").append(String.join(", ", task.stepNames())).append("]\n");
      if (!spec.spark().isEmpty()) {
        text.append("    spark {\n");
        for (Map.Entry<String, String> setting : spec.spark().entrySet()) {
          if (Secrets.isSecret(setting.getKey())) {
            // Reports never hold secret values: the person applying the advice copies it over.
            text.append("      # ").append(setting.getKey().replaceFirst("^spark\\.", ""))
                .append(" = <secret: copy it from the current grouping>\n");
            continue;
          }
          text.append("      ").append(setting.getKey().replaceFirst("^spark\\.", "")).append(" = ")
              .append(quote(setting.getValue())).append('\n');
        }
        text.append("    }\n");
      }
      text.append("  }\n");
    }
    return text.append("}\n").toString();
  }

  private static String quote(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
