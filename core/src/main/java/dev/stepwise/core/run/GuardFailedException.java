package dev.stepwise.core.run;

/** A dataset's guard refused what a task would publish: nothing of the task was published. */
public final class GuardFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public GuardFailedException(String message) {
    super(message);
  }
}
