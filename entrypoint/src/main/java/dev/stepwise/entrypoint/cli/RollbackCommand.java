package dev.stepwise.entrypoint.cli;

import dev.stepwise.core.io.DatasetStore;
import dev.stepwise.core.io.DeltaHistory;
import dev.stepwise.core.io.SessionSettings;
import dev.stepwise.core.io.RollbackChoice;
import dev.stepwise.core.io.RunLock;
import dev.stepwise.core.io.StepwiseCommit;
import dev.stepwise.core.model.RunContext;
import dev.stepwise.core.model.StorageFormat;
import dev.stepwise.core.model.StorageSpec;
import dev.stepwise.core.plan.DatasetWrite;
import dev.stepwise.core.plan.ExecutionPlan;
import dev.stepwise.core.plan.TaskPlan;
import dev.stepwise.core.problem.Suggestions;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * Undoes one task's run of one date in every Delta dataset the task publishes: each table goes back
 * to the version before the run's latest commit (Delta's RESTORE). All tables are checked before
 * any is restored, so a refusal in one (someone wrote on top) changes none.
 */
@Command(name = "rollback", description = "Restore every Delta dataset a task publishes to its version before the"
    + " task's run of a date; refused when anything was written on top of that run.")
final class RollbackCommand implements Callable<Integer> {
  @Mixin PipelineOptions options;
  @Spec CommandSpec spec;
  @ParentCommand StepwiseCli root;

  @Option(names = "--task", required = true, paramLabel = "NAME", description = "The task whose run to undo.")
  String task;

  @Option(names = "--run-date", required = true, paramLabel = "YYYY-MM-DD", description = "The run date of that run.")
  LocalDate runDate;

  @Option(names = "--var", paramLabel = "KEY=VALUE", description = "A value for a {KEY} placeholder in storage locations, as the run had.")
  Map<String, String> vars = new LinkedHashMap<>();

  @Option(names = "--dry-run", description = "Print what would be restored (or why not) and change nothing.")
  boolean dryRun;

  private record Table(String dataset, StorageSpec storage) {}

  @Override
  public Integer call() {
    ExecutionPlan plan = options.plan();
    TaskPlan taskPlan = plan.task(task).orElseThrow(() -> new UsageException(
        "grouping '" + plan.grouping().name() + "' has no task '" + task + "'"
            + Suggestions.didYouMean(task, plan.taskNames()) + "; its tasks: " + String.join(", ", plan.taskNames())));
    List<DatasetWrite> deltaWrites = taskPlan.writes().stream()
        .filter(w -> w.storage().format() == StorageFormat.DELTA).toList();
    if (deltaWrites.isEmpty()) {
      throw new UsageException("task '" + task + "' publishes no Delta dataset (it writes: " + (taskPlan.writes().isEmpty()
          ? "nothing" : taskPlan.writes().stream().map(w -> w.dataset() + " as " + w.storage().format().configName())
              .collect(Collectors.joining(", "))) + "); rollback restores Delta datasets only");
    }
    RunContext run = RunContext.of(runDate, vars);
    List<Table> resolved = deltaWrites.stream().map(w -> new Table(w.dataset(), run.resolve(w.storage(), w.dataset())))
        .toList();

    PrintWriter out = spec.commandLine().getOut();
    out.printf("stepwise rollback: pipeline %s, grouping %s, task %s, run date %s%s%n", plan.pipeline().name(),
        plan.grouping().name(), task, runDate, dryRun ? " (dry run)" : "");
    out.flush();
    SparkSession spark = root.sessions().open("stepwise:" + plan.pipeline().name() + ":" + plan.grouping().name()
        + ":rollback " + task, SessionSettings.of(plan.pipeline(), taskPlan.spark()));
    try {
      DatasetStore store = new DatasetStore(spark);
      // A table named in the catalog is looked up there: its folder holds the log, the lock beside it.
      List<Table> tables = resolved.stream().map(t -> new Table(t.dataset(), store.located(t.storage(), t.dataset())))
          .toList();
      if (dryRun) {
        return decideAndRestore(spark, tables, run, out);
      }
      // The run's own lock: a run of this task and date cannot publish while its tables are restored.
      try (RunLock lock = RunLock.acquire(tables.stream().map(t -> store.targetOf(t.storage())).toList(),
          "rollback-" + run.runId(), spark.sparkContext().hadoopConfiguration())) {
        return decideAndRestore(spark, tables, run, out);
      }
    } finally {
      root.sessions().close(spark);
    }
  }

  private int decideAndRestore(SparkSession spark, List<Table> tables, RunContext run, PrintWriter out) {
    DeltaHistory history = new DeltaHistory(spark);
    Map<Table, RollbackChoice> choices = new LinkedHashMap<>();
    for (Table table : tables) {
      String location = table.storage().location();
      choices.put(table, history.exists(location)
          ? RollbackChoice.decide(history.commits(location), task, runDate)
          : new RollbackChoice.NotWritten(task, runDate));
    }
    choices.forEach((table, choice) -> out.println("  " + choice.describe(table.dataset())
        + " [" + table.storage().location() + "]"));
    if (choices.values().stream().anyMatch(RollbackChoice::refuses)) {
      out.flush();
      PrintWriter err = spec.commandLine().getErr();
      err.println("stepwise: rollback of task " + task + " for " + runDate + " refused (see above); no dataset was changed");
      err.flush();
      return ExitCodes.RUN_FAILED;
    }
    if (choices.values().stream().allMatch(c -> c instanceof RollbackChoice.NotWritten)) {
      out.flush();
      PrintWriter err = spec.commandLine().getErr();
      err.println("stepwise: task " + task + " has no Delta commit for run date " + runDate + " in any of its datasets ("
          + tables.stream().map(Table::dataset).collect(Collectors.joining(", ")) + "): nothing to roll back");
      err.flush();
      return ExitCodes.RUN_FAILED;
    }
    if (dryRun) {
      out.println("dry run: nothing was changed");
      out.flush();
      return ExitCodes.OK;
    }
    List<String> restored = new ArrayList<>();
    for (Map.Entry<Table, RollbackChoice> entry : choices.entrySet()) {
      if (entry.getValue() instanceof RollbackChoice.Restore restore) {
        StepwiseCommit undone = restore.runCommit().run().orElseThrow();
        StepwiseCommit rollback = new StepwiseCommit(undone.pipeline(), undone.grouping(), task, "rollback-" + run.runId(),
            undone.runDate(), undone.configFingerprint(), entry.getKey().dataset(),
            OptionalLong.of(restore.runCommit().version()));
        try {
          history.restore(entry.getKey().storage(), restore.toVersion(), rollback);
        } catch (RuntimeException e) {
          throw new IllegalStateException("restoring " + entry.getKey().dataset() + " to version " + restore.toVersion()
              + " failed" + (restored.isEmpty() ? "" : " after " + String.join(", ", restored) + " had been restored")
              + "; running the same rollback again finishes it: " + e.getMessage(), e);
        }
        restored.add(entry.getKey().dataset());
        out.println("restored " + entry.getKey().dataset() + " to version " + restore.toVersion() + " (undid version "
            + restore.runCommit().version() + ", run " + undone.runId() + ")");
      }
    }
    if (restored.isEmpty()) {
      out.println("nothing to restore: the run is rolled back already");
    }
    out.flush();
    return ExitCodes.OK;
  }
}
