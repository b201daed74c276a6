package dev.stepwise.entrypoint.report;

/** A file that cannot be read as a run report of this stepwise: the message names it and what to do. */
public final class UnreadableReportException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UnreadableReportException(String message) {
    super(message);
  }
}
