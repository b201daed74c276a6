package dev.stepwise.core.io;

/** Another run is writing the same dataset for the same run date. */
public final class ConcurrentRunException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConcurrentRunException(String target, String holder) {
    super(target + " is being written by " + holder + "; wait for that run to finish, then retry");
  }
}
