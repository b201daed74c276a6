package dev.stepwise.core.run;

import java.time.Duration;

/** Hears what a task does as it does it: progress lines, run reports. Every method is optional. */
public interface RunListener {
  RunListener NONE = new RunListener() {};

  default void taskStarted(String task, int steps) {}

  default void stepStarted(String task, String step) {}

  default void datasetWritten(String task, WrittenDataset written) {}

  /**
   * A resumed run skips a step: what it stages was complete in a failed run. {@code reused} are its
   * written datasets (none when it only fed skipped steps in memory).
   */
  default void stepReused(String task, String step, java.util.List<WrittenDataset> reused) {}

  default void stepFinished(String task, String step, Duration elapsed) {}

  default void expectationChecked(String task, dev.stepwise.core.quality.ExpectationResult result) {}

  default void taskFinished(TaskResult result) {}
}
