package dev.stepwise.core.run;

import dev.stepwise.core.io.CatalogSettings;
import dev.stepwise.core.io.SessionSettings;
import dev.stepwise.core.model.RunContext;
import dev.stepwise.core.plan.ExecutionPlan;
import dev.stepwise.core.plan.TaskPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * Runs tasks of a plan in order in one SparkSession: pre-flight checks first (before any session),
 * then the session, then each task (staged, locked and published by its {@link TaskRunner}), then
 * the session's stop. Every stretch of that is a {@link Phase} of the caller's clock, also when a
 * task fails: the failure is returned with the phases up to it, not thrown.
 */
public final class PipelineRunner {
  /** What a run does with what a failed run of the same task and run date left staged. */
  public enum Staged {
    /** Clear it and run every step. */
    CLEAR,
    /** Reuse what is complete and matches, skipping the steps it comes from (see {@link TaskRunner#resume}). */
    REUSE
  }

  private final SparkSessions sessions;
  private final RunListener listener;

  public PipelineRunner(SparkSessions sessions, RunListener listener) {
    this.sessions = sessions;
    this.listener = listener;
  }

  /**
   * @param tasks in plan order; each reads what an earlier one of them writes from storage
   * @param clock the run's clock, already timing what the caller did before; laps for pre-flight,
   *     session start, each task's phases and the session's stop are added to it
   * @throws MissingInputException, or a location's error, before any session starts
   */
  public PipelineResult run(ExecutionPlan plan, List<TaskPlan> tasks, RunContext unnamed, Staged staged,
      PhaseClock clock) {
    // Delta commits and reports say which pipeline and grouping a run belonged to.
    RunContext run = unnamed.named(plan.pipeline().name(), plan.grouping().name());
    if (tasks.isEmpty()) {
      throw new IllegalArgumentException("no task to run of grouping '" + plan.grouping().name() + "'");
    }
    // Several tasks in one run are what the command line's --all asks for.
    RunPreflight.check(tasks, run, tasks.size() == 1 ? tasks.get(0).name() : "--all");
    clock.lap("pre-flight checks", PhaseKind.OVERHEAD);
    listener.runStarting(plan, tasks, run);
    // Tables must outlive this JVM: a pipeline with format = table gets a persistent catalog.
    boolean tables = CatalogSettings.usesTables(plan.pipeline());
    SparkSession spark = sessions.open(appName(plan, tasks), SessionSettings.of(plan.pipeline(), tasks.get(0).spark()));
    listener.sessionStarted(spark);
    clock.lap("spark session start", PhaseKind.OVERHEAD);
    List<TaskResult> results = new ArrayList<>();
    Optional<Exception> failure = Optional.empty();
    try {
      if (tables) {
        // Opens the metastore now, so that one held by another process fails the run before any step computes.
        spark.catalog().databaseExists("default");
      }
      runTasks(spark, tasks, run, staged, clock, results);
    } catch (Exception e) { // not only RuntimeException: Spark throws Hadoop's IOExceptions undeclared
      // A failed run's time counts too: one phase up to the failure.
      failure = Optional.of(e);
      clock.lap("failed task " + tasks.get(results.size()).name(), PhaseKind.OVERHEAD);
    } finally {
      sessions.close(spark);
    }
    clock.lap("spark session stop", PhaseKind.OVERHEAD);
    return new PipelineResult(results, clock.phases(), failure);
  }

  private void runTasks(SparkSession spark, List<TaskPlan> tasks, RunContext run, Staged staged, PhaseClock clock,
      List<TaskResult> results) {
    TaskRunner runner = new TaskRunner(spark, listener);
    for (TaskPlan task : tasks) {
      if (task != tasks.get(0)) {
        sessions.switchTask(spark, task.spark());
        clock.lap("switch to task " + task.name(), PhaseKind.OVERHEAD);
      }
      TaskResult result = staged == Staged.REUSE ? runner.resume(task, run) : runner.run(task, run);
      results.add(result);
      clock.append(result.phases());
    }
  }

  private static String appName(ExecutionPlan plan, List<TaskPlan> tasks) {
    String what = tasks.size() == 1 ? tasks.get(0).name() : "all";
    return "stepwise:" + plan.pipeline().name() + ":" + plan.grouping().name() + ":" + what;
  }
}
