package dev.stepwise.entrypoint.advise;

/**
 * Run reports that are readable but cannot back advice (a failed or resumed run, reports of several
 * runs, a pipeline step no report covers): the message says which and what to pass instead.
 */
public final class UnusableReportsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UnusableReportsException(String message) {
    super(message);
  }
}
