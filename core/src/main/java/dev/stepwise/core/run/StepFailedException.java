package dev.stepwise.core.run;

import dev.stepwise.core.config.Reasons;

/** A step failed, or a dataset of it could not be written; carries the step's identity. */
public final class StepFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String task;
  private final String step;
  private final String what;

  /**
   * @param what what the step was doing, as the message says it after "failed": {@code while writing
   *     'payments'}
   */
  public StepFailedException(String task, String step, String what, Throwable cause) {
    this(task, step, what, withFileBeingRead(rootMessage(cause), cause), cause);
  }

  StepFailedException(String task, String step, String what, String detail, Throwable cause) {
    super("task '" + task + "', step '" + step + "' failed " + what + ": " + detail, cause);
    this.task = task;
    this.step = step;
    this.what = what;
  }

  public String task() {
    return task;
  }

  public String step() {
    return step;
  }

  /** What the step was doing when it failed. */
  String what() {
    return what;
  }

  /**
   * The innermost message: Spark wraps the cause a person can act on several layers deep. Its
   * lines up to the first stack frame are kept (a csv header mismatch lists both column lists on
   * lines of their own); blank lines are dropped (Spark's parser messages start with one).
   */
  static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    java.util.List<String> kept = new java.util.ArrayList<>();
    for (String line : message.split("\\R")) {
      if (line.matches("\\s*(at [\\w$.<>/]+\\(.*|Caused by:.*|== .* ==)") || kept.size() == 6) {
        break;
      }
      if (!line.isBlank()) {
        kept.add(line.strip());
      }
    }
    return kept.isEmpty() ? root.getClass().getSimpleName() : String.join("\n    ", kept);
  }

  /**
   * The file Spark was reading goes along when the detail leaves it out: it is what a person looks at next,
   * and some innermost messages (parquet's "footer is too large") do not name it.
   */
  private static String withFileBeingRead(String detail, Throwable cause) {
    return Reasons.fileBeingRead(cause).filter(file -> !detail.contains(file))
        .map(file -> detail + " (reading " + file + ")").orElse(detail);
  }
}
