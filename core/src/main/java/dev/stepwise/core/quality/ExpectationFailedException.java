package dev.stepwise.core.quality;

/** A dataset broke an expectation whose action is {@code fail}: the task publishes nothing. */
public final class ExpectationFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ExpectationFailedException(String message) {
    super(message);
  }
}
