package dev.stepwise.entrypoint.report;

/**
 * The run report could not be written. After a failed run this is a second, lesser problem: the
 * run's own failure is printed first, this one after it.
 */
public final class ReportNotWrittenException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ReportNotWrittenException(org.apache.hadoop.fs.Path location, Exception cause) {
    super("cannot write the run report to " + location + ": " + firstLine(cause)
        + "; choose a writable place with --metrics-out FILE", cause);
  }

  private static String firstLine(Exception e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.lines().findFirst().orElse(message);
  }
}
