package dev.stepwise.entrypoint.cli;

import dev.stepwise.core.model.RunContext;
import dev.stepwise.core.plan.ExecutionPlan;
import dev.stepwise.core.plan.TaskPlan;
import dev.stepwise.core.problem.Suggestions;
import dev.stepwise.core.run.Phase;
import dev.stepwise.core.run.PhaseClock;
import dev.stepwise.core.run.PhaseKind;
import dev.stepwise.core.run.PipelineResult;
import dev.stepwise.core.run.PipelineRunner;
import dev.stepwise.core.run.RunListener;
import dev.stepwise.entrypoint.report.JvmWarmup;
import dev.stepwise.entrypoint.report.ReportLocation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "run", description = "Run one task of a grouping (or all of them, in order) for one run date.")
final class RunCommand implements Callable<Integer> {
  @Mixin PipelineOptions options;
  @Spec CommandSpec spec;
  @ParentCommand StepwiseCli root;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Selection selection;

  static final class Selection {
    @Option(names = "--task", paramLabel = "NAME", description = "The task to run.")
    String task;

    @Option(names = "--all", description = "Every task of the grouping in order, in this one process.")
    boolean all;
  }

  @Option(names = "--run-date", paramLabel = "YYYY-MM-DD", description = "The logical date of the run (default: today, UTC).")
  LocalDate runDate;

  @Option(names = "--var", paramLabel = "KEY=VALUE", description = "A value for a {KEY} placeholder in storage locations.")
  Map<String, String> vars = new LinkedHashMap<>();

  @Option(names = "--resume", description = "Reuse what a failed run of this task and run date left staged and"
      + " complete: skip the steps whose outputs are all reusable (--task only).")
  boolean resume;

  @Option(names = "--metrics-out", paramLabel = "FILE", description = "Where to write the JSON run report (default: <storage_root>/_reports/<pipeline>/<grouping>/<task>/run_date=<date>/report.json).")
  Path metricsOut;

  @Override
  public Integer call() throws Exception {
    Instant started = root.launch().map(Launch::mainEntered).orElseGet(Instant::now);
    PhaseClock clock = new PhaseClock(Optional.empty(), started);
    // Inside another program (tests) its earlier warm-up is not this run's: count from here instead.
    JvmWarmup warmupBaseline = root.launch().flatMap(Launch::jvmStart).isPresent()
        ? JvmWarmup.atJvmStart() : JvmWarmup.now();
    ExecutionPlan plan = options.plan();
    List<TaskPlan> tasks = selectedTasks(plan);
    if (resume && selection.all) {
      throw new UsageException("--resume works with --task only: resume the task that failed with --task NAME"
          + " --resume, then run the tasks after it");
    }
    RunContext run = RunContext.of(runDate != null ? runDate : LocalDate.now(ZoneOffset.UTC), vars);
    RunReporter reporter = new RunReporter(plan, tasks, run, resume, reportTarget(plan, tasks, run), warmupBaseline);
    clock.lap("config and plan", PhaseKind.OVERHEAD);
    PrintWriter out = spec.commandLine().getOut();
    PipelineResult result = new PipelineRunner(root.sessions(), RunListener.all(reporter, new ProgressPrinter(out)))
        .run(plan, tasks, run, resume ? PipelineRunner.Staged.REUSE : PipelineRunner.Staged.CLEAR, clock);
    List<Phase> jvm = root.launch().flatMap(Launch::jvmStart)
        .map(jvmStart -> new PhaseClock(Optional.empty(), jvmStart).lapAt("jvm start", started))
        .orElse(List.of());
    return reporter.finish(result, jvm, out);
  }

  /** --metrics-out is a local file, as a person typing it means; the default follows the storage root's scheme. */
  private RunReporter.Target reportTarget(ExecutionPlan plan, List<TaskPlan> tasks, RunContext run) {
    if (metricsOut != null) {
      return new RunReporter.Target(metricsOut.toString(),
          new org.apache.hadoop.fs.Path(metricsOut.toAbsolutePath().toUri()));
    }
    String shown = ReportLocation.defaultFor(plan, tasks, run);
    return new RunReporter.Target(shown, new org.apache.hadoop.fs.Path(shown));
  }

  private List<TaskPlan> selectedTasks(ExecutionPlan plan) {
    if (selection.all) {
      return plan.tasks();
    }
    return List.of(plan.task(selection.task).orElseThrow(() -> new UsageException(
        "grouping '" + plan.grouping().name() + "' has no task '" + selection.task + "'"
            + Suggestions.didYouMean(selection.task, plan.taskNames()) + "; its tasks: "
            + String.join(", ", plan.taskNames()))));
  }
}
