package dev.stepwise.core.run;

/** A step failed, or a dataset of it could not be written; carries the step's identity. */
public final class StepFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String task;
  private final String step;

  public StepFailedException(String task, String step, String what, Throwable cause) {
    this(task, step, what, rootMessage(cause), cause);
  }

  StepFailedException(String task, String step, String what, String detail, Throwable cause) {
    super("task '" + task + "', step '" + step + "' failed" + (what.isEmpty() ? "" : " " + what) + ": " + detail,
        cause);
    this.task = task;
    this.step = step;
  }

  public String task() {
    return task;
  }

  public String step() {
    return step;
  }

  /** The innermost message: Spark wraps the cause a person can act on several layers deep. */
  static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    int newline = message.indexOf('\n');
    return newline > 0 ? message.substring(0, newline) : message;
  }
}
