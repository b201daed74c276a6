package dev.stepwise.entrypoint.cli;

/** A command line that cannot be run as given; exits with {@link ExitCodes#USAGE}. */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
