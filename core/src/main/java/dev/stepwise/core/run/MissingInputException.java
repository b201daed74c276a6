package dev.stepwise.core.run;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Inputs a task reads are absent: found before any SparkSession starts. */
public final class MissingInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient Map<String, List<String>> byTask;

  /**
   * @param what the task, or what the caller calls the tasks it ran ({@code --all})
   * @param byTask one line per missing input, for each task that misses one, in run order
   */
  public MissingInputException(String what, Map<String, List<String>> byTask) {
    super("task '" + what + "' cannot start: "
        + String.join("; ", byTask.values().stream().flatMap(List::stream).toList()));
    this.byTask = Collections.unmodifiableMap(new LinkedHashMap<>(byTask));
  }

  /** The missing inputs of each task that misses one, in run order. */
  public Map<String, List<String>> byTask() {
    return byTask;
  }
}
