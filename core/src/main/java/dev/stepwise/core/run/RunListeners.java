package dev.stepwise.core.run;

import dev.stepwise.core.model.RunContext;
import dev.stepwise.core.plan.ExecutionPlan;
import dev.stepwise.core.plan.TaskPlan;
import dev.stepwise.core.quality.ExpectationResult;
import java.time.Duration;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/** Several listeners heard as one (see {@link RunListener#all}). */
final class RunListeners implements RunListener {
  private final List<RunListener> listeners;

  RunListeners(List<RunListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  @Override
  public void runStarting(ExecutionPlan plan, List<TaskPlan> tasks, RunContext run) {
    listeners.forEach(l -> l.runStarting(plan, tasks, run));
  }

  @Override
  public void sessionStarted(SparkSession session) {
    listeners.forEach(l -> l.sessionStarted(session));
  }

  @Override
  public void taskStarted(String task, int steps) {
    listeners.forEach(l -> l.taskStarted(task, steps));
  }

  @Override
  public void stepStarted(String task, String step) {
    listeners.forEach(l -> l.stepStarted(task, step));
  }

  @Override
  public void datasetWritten(String task, WrittenDataset written) {
    listeners.forEach(l -> l.datasetWritten(task, written));
  }

  @Override
  public void stepReused(String task, String step, List<WrittenDataset> reused) {
    listeners.forEach(l -> l.stepReused(task, step, reused));
  }

  @Override
  public void stepFinished(String task, String step, Duration elapsed) {
    listeners.forEach(l -> l.stepFinished(task, step, elapsed));
  }

  @Override
  public void expectationChecked(String task, ExpectationResult result) {
    listeners.forEach(l -> l.expectationChecked(task, result));
  }

  @Override
  public void taskFinished(TaskResult result) {
    listeners.forEach(l -> l.taskFinished(result));
  }
}
