package dev.stepwise.entrypoint;

import dev.stepwise.core.config.Secrets;
import dev.stepwise.core.model.PipelineConfig;
import dev.stepwise.core.model.TaskSpec;
import dev.stepwise.core.plan.TaskPlan;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "advise",
    description = "Read the run reports of one pipeline run and print a grouping file with less overhead.")
final class AdviseCommand implements Callable<Integer> {
  @Mixin PipelineOptions options;
  @Spec CommandSpec spec;

  @Option(names = "--metrics", paramLabel = "FILE", arity = "1..*", required = true,
      description = "Run reports (report.json) of every task of one pipeline run.")
  List<Path> metrics;

  @Option(names = "--threshold", paramLabel = "SHARE", defaultValue = "0.10",
      description = "Merge tasks whose overhead is at least this share of their run time (default: ${DEFAULT-VALUE}).")
  double threshold;

  @Option(names = "--out", paramLabel = "FILE", description = "Also write the proposed grouping file here.")
  Path out;

  @Option(names = "--timeline", paramLabel = "FILE.html",
      description = "Also write a self-contained HTML timeline of the run's tasks and steps.")
  Path timeline;

  @Override
  public Integer call() {
    if (options.grouping != null) {
      throw new UsageException("advise takes the grouping from the reports; drop --grouping");
    }
    if (!(threshold > 0 && threshold < 1)) {
      throw new UsageException("--threshold must be a share between 0 and 1 (e.g. 0.10 for 10%), got " + threshold);
    }
    List<ReportedRun> runs = metrics.stream().map(ReportedRun::read).toList();
    ReportedRun first = runs.get(0);
    for (ReportedRun run : runs) {
      if (!run.pipeline().equals(first.pipeline()) || !run.grouping().equals(first.grouping())
          || !run.runDate().equals(first.runDate())) {
        throw new UsageException("the reports are not of one pipeline run: " + first.file() + " is " + describe(first)
            + " but " + run.file() + " is " + describe(run) + "; pass the reports of one run date and grouping");
      }
    }
    PipelineConfig pipeline = options.pipeline();
    if (!pipeline.name().equals(first.pipeline())) {
      throw new UsageException("the reports are of pipeline '" + first.pipeline() + "' but the config "
          + options.source().describe() + " defines '" + pipeline.name() + "'; pass its config with --config");
    }
    List<TaskCost> costs = costs(runs);
    GroupingAdvisor.Advice advice = new GroupingAdvisor(pipeline, first.grouping(), threshold).advise(costs);
    String grouping = render(first, runs.size(), costs, advice);
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.print(grouping);
    write(out, grouping);
    if (timeline != null) {
      write(timeline, TimelineHtml.render(runs));
    }
    stdout.flush();
    return ExitCodes.OK;
  }

  private static List<TaskCost> costs(List<ReportedRun> runs) {
    List<TaskCost> costs = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (ReportedRun run : runs) {
      for (ReportedRun.ReportedTask task : run.tasks()) {
        if (!seen.add(task.name())) {
          throw new UsageException("task '" + task.name() + "' appears in two reports (" + run.file()
              + " and another); pass one report per task");
        }
        costs.add(run.cost(task));
      }
    }
    return costs;
  }

  private static String describe(ReportedRun run) {
    return "pipeline " + run.pipeline() + ", grouping " + run.grouping() + ", run date " + run.runDate();
  }

  /** The proposed grouping as a file {@code validate --grouping FILE} accepts; the reasoning as comments. */
  private String render(ReportedRun first, int reports, List<TaskCost> costs, GroupingAdvisor.Advice advice) {
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

  private static void write(Path path, String content) {
    if (path == null) {
      return;
    }
    try {
      Path parent = path.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Files.writeString(path, content);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path + ": choose a writable file", e);
    }
  }
}
