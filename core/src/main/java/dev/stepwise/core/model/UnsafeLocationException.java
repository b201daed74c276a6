package dev.stepwise.core.model;

/**
 * A run would read, write or delete somewhere it must not: a placeholder value that is not one
 * plain folder name, or a resolved location outside its dataset's storage root. A usage error,
 * found before Spark starts.
 */
public final class UnsafeLocationException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public UnsafeLocationException(String message) {
    super(message);
  }
}
