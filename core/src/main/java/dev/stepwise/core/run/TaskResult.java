package dev.stepwise.core.run;

import java.time.Duration;
import java.util.List;

/** What a task did: its steps in order, what it published, and how long it took. */
public record TaskResult(String task, List<String> steps, List<WrittenDataset> written, Duration elapsed) {
  public TaskResult {
    steps = List.copyOf(steps);
    written = List.copyOf(written);
  }
}
