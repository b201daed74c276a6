package dev.stepwise.core.run;

import dev.stepwise.core.model.RunContext;
import dev.stepwise.core.plan.ExecutionPlan;
import dev.stepwise.core.plan.TaskPlan;
import dev.stepwise.core.quality.ExpectationResult;
import java.time.Duration;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/** Hears what a run does as it does it: progress lines, run reports. Every method is optional. */
public interface RunListener {
  RunListener NONE = new RunListener() {};

  /** Every listener hears every event, in the order given. */
  static RunListener all(RunListener... listeners) {
    return new RunListeners(List.of(listeners));
  }

  /** Pre-flight checks passed; the SparkSession is about to start. */
  default void runStarting(ExecutionPlan plan, List<TaskPlan> tasks, RunContext run) {}

  /** The session the tasks run in; it is stopped (or handed back) when they are done. */
  default void sessionStarted(SparkSession session) {}

  default void taskStarted(String task, int steps) {}

  default void stepStarted(String task, String step) {}

  default void datasetWritten(String task, WrittenDataset written) {}

  /**
   * A resumed run skips a step: what it stages was complete in a failed run. {@code reused} are its
   * written datasets (none when it only fed skipped steps in memory).
   */
  default void stepReused(String task, String step, List<WrittenDataset> reused) {}

  default void stepFinished(String task, String step, Duration elapsed) {}

  default void expectationChecked(String task, ExpectationResult result) {}

  default void taskFinished(TaskResult result) {}
}
