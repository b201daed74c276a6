package dev.stepwise.entrypoint;

import dev.stepwise.core.io.CatalogSettings;
import dev.stepwise.core.io.Preflight;
import dev.stepwise.core.model.DatasetSpec;
import dev.stepwise.core.model.Expectation;
import dev.stepwise.core.model.RunContext;
import dev.stepwise.core.plan.DatasetRead;
import dev.stepwise.core.plan.DatasetWrite;
import dev.stepwise.core.plan.ExecutionPlan;
import dev.stepwise.core.plan.TaskPlan;
import dev.stepwise.core.problem.Suggestions;
import dev.stepwise.core.run.MissingInputException;
import dev.stepwise.core.run.Phase;
import dev.stepwise.core.run.PhaseClock;
import dev.stepwise.core.run.PhaseKind;
import dev.stepwise.core.run.TaskResult;
import dev.stepwise.core.run.TaskRunner;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
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
    List<Phase> jvm = root.launch().flatMap(Launch::jvmStart)
        .map(jvmStart -> new PhaseClock(Optional.empty(), jvmStart).lapAt("jvm start", started))
        .orElse(List.of());
    ExecutionPlan plan = options.plan();
    List<TaskPlan> tasks = selectedTasks(plan);
    if (resume && selection.all) {
      throw new UsageException("--resume works with --task only: resume the task that failed with --task NAME"
          + " --resume, then run the tasks after it");
    }
    RunContext run = RunContext.of(runDate != null ? runDate : LocalDate.now(ZoneOffset.UTC), vars);
    PrintWriter out = spec.commandLine().getOut();
    String reportShown = metricsOut != null ? metricsOut.toString() : ReportLocation.defaultFor(plan, tasks, run);
    // --metrics-out is a local file, as a person typing it means; the default follows the storage root's scheme.
    org.apache.hadoop.fs.Path reportLocation = metricsOut != null
        ? new org.apache.hadoop.fs.Path(metricsOut.toAbsolutePath().toUri())
        : new org.apache.hadoop.fs.Path(reportShown);
    clock.lap("config and plan", PhaseKind.OVERHEAD);
    checkBeforeSpark(tasks, run);
    clock.lap("pre-flight checks", PhaseKind.OVERHEAD);

    out.printf("stepwise run: pipeline %s, grouping %s, run date %s, %s%n", plan.pipeline().name(),
        plan.grouping().name(), run.runDate(), tasks.size() == 1 ? "task " + tasks.get(0).name()
            : tasks.size() + " tasks: " + tasks.stream().map(TaskPlan::name).collect(Collectors.joining(", ")));
    out.flush();
    SessionFactory sessions = root.sessions();
    // Tables must outlive this JVM: a pipeline with format = table gets a persistent catalog.
    Map<String, String> catalog = CatalogSettings.forPipeline(plan.pipeline());
    SparkSession spark = sessions.open(appName(plan, tasks), CatalogSettings.withTaskSettings(catalog, tasks.get(0).spark()));
    SparkFacts sparkFacts = SparkFacts.of(spark);
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    clock.lap("spark session start", PhaseKind.OVERHEAD);
    List<TaskResult> results = new ArrayList<>();
    Map<String, JvmWarmup> taskWarmup = new LinkedHashMap<>();
    Optional<Exception> failure = Optional.empty();
    try {
      if (!catalog.isEmpty()) {
        // Opens the metastore now, so that one held by another process fails the run before any step computes.
        spark.catalog().databaseExists("default");
      }
      TaskRunner runner = new TaskRunner(spark, new ProgressPrinter(out));
      for (TaskPlan task : tasks) {
        if (task != tasks.get(0)) {
          sessions.switchTask(spark, task.spark());
          clock.lap("switch to task " + task.name(), PhaseKind.OVERHEAD);
        }
        JvmWarmup beforeTask = JvmWarmup.now();
        TaskResult result = resume ? runner.resume(task, run) : runner.run(task, run);
        taskWarmup.put(task.name(), JvmWarmup.now().since(beforeTask));
        results.add(result);
        clock.append(result.phases());
      }
    } catch (Exception e) { // not only RuntimeException: Spark throws Hadoop's IOExceptions undeclared
      // A failed run's time counts too: it is reported, as one phase up to the failure, then rethrown.
      failure = Optional.of(e);
      clock.lap("failed task " + tasks.get(results.size()).name(), PhaseKind.OVERHEAD);
    } finally {
      sessions.close(spark);
    }
    clock.lap("spark session stop", PhaseKind.OVERHEAD);
    JvmWarmup processWarmup = JvmWarmup.now().since(warmupBaseline);
    List<Phase> phases = new ArrayList<>(jvm);
    phases.addAll(clock.phases());
    Optional<ReportNotWrittenException> reportFailure = Optional.empty();
    try {
      new RunReport(plan, tasks, run, sparkFacts, results, phases, failure.map(Exception::getMessage), resume,
          processWarmup, taskWarmup)
          .write(reportLocation, hadoop);
    } catch (ReportNotWrittenException e) {
      reportFailure = Optional.of(e);
    }
    if (failure.isPresent()) {
      // The run's own failure is the error; a report that could not be written is told after it.
      reportFailure.ifPresentOrElse(failure.get()::addSuppressed,
          () -> out.printf("run report (failed run): %s%n", reportShown));
      out.flush();
      throw failure.get();
    }
    if (reportFailure.isPresent()) {
      throw reportFailure.get();
    }
    ProgressPrinter.printPhases(out, phases);
    ProgressPrinter.printWarmup(out, processWarmup, taskWarmup);
    out.printf("run report: %s%n", reportShown);
    out.flush();
    return ExitCodes.OK;
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

  /**
   * Placeholders, locations and inputs are checked before Spark starts: such failures should cost
   * seconds, and a location outside its root must never be touched.
   */
  private void checkBeforeSpark(List<TaskPlan> tasks, RunContext run) {
    Set<String> runHere = tasks.stream().map(TaskPlan::name).collect(Collectors.toSet());
    for (TaskPlan task : tasks) {
      for (DatasetRead read : task.reads()) {
        run.resolve(read.storage(), read.dataset());
      }
      for (DatasetWrite write : task.writes()) {
        run.resolve(write.storage(), write.dataset());
      }
      for (DatasetSpec contract : task.contracts().values()) {
        for (Expectation expectation : contract.expectations()) {
          expectation.quarantine().ifPresent(q -> run.resolve(q, contract.name()));
        }
      }
    }
    List<String> missing = new ArrayList<>();
    for (TaskPlan task : tasks) {
      TaskPlan external = new TaskPlan(task.name(), task.upstream(), task.steps(),
          task.reads().stream().filter(r -> r.producerTask().map(t -> !runHere.contains(t)).orElse(true)).toList(),
          task.writes(), task.cached(), task.releaseAfter(), task.spark());
      missing.addAll(Preflight.missingInputs(external, run));
    }
    if (!missing.isEmpty()) {
      throw new MissingInputException(tasks.size() == 1 ? tasks.get(0).name() : "--all", missing);
    }
  }

  private static String appName(ExecutionPlan plan, List<TaskPlan> tasks) {
    String what = tasks.size() == 1 ? tasks.get(0).name() : "all";
    return "stepwise:" + plan.pipeline().name() + ":" + plan.grouping().name() + ":" + what;
  }
}
