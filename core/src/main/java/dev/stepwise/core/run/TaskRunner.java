package dev.stepwise.core.run;

import dev.stepwise.core.io.DatasetStore;
import dev.stepwise.core.model.RunContext;
import dev.stepwise.core.plan.TaskPlan;
import org.apache.spark.sql.SparkSession;

/**
 * Runs one task in a SparkSession it is handed (it never creates or stops one): reads the task's
 * inputs, applies its steps in plan order keeping intermediates in memory, caches what several
 * steps read, stages every dataset the plan says to write, and publishes them all only when the
 * whole task succeeded. Each run is a {@link TaskExecution} of its own.
 *
 * <p>It times the task as back-to-back {@link Phase}s (reading set-up, each step, each dataset
 * computed and written, publishing) and tags every Spark job with the task and step that caused it:
 * the job group is {@code task/step}, the description names the step or the dataset being written,
 * and the local properties {@code stepwise.task} and {@code stepwise.step} let a SparkListener
 * attribute work without parsing strings.
 */
public final class TaskRunner {
  /** Local properties every Spark job of a task carries: which task and step (or phase) caused it. */
  public static final String TASK_PROPERTY = "stepwise.task";
  public static final String STEP_PROPERTY = "stepwise.step";

  private final SparkSession spark;
  private final DatasetStore store;
  private final RunListener listener;

  public TaskRunner(SparkSession spark, RunListener listener) {
    this.spark = spark;
    this.store = new DatasetStore(spark);
    this.listener = listener;
  }

  /** Runs every step of the task; what an earlier failed run left staged is cleared first. */
  public TaskResult run(TaskPlan task, RunContext run) {
    return TaskExecution.begin(spark, store, listener, task, run).execute(false);
  }

  /**
   * Runs the task reusing what a failed run of the same task, run date and config left staged and
   * complete: steps whose staged outputs all match are skipped (see {@link ResumePlan}), the reused
   * data is published with the rest. With nothing reusable this is {@link #run}.
   */
  public TaskResult resume(TaskPlan task, RunContext run) {
    return TaskExecution.begin(spark, store, listener, task, run).execute(true);
  }
}
