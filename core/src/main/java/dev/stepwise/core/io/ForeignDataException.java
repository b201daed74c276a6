package dev.stepwise.core.io;

/** A dataset's place holds data Stepwise did not publish there: it is never moved aside or deleted. */
public final class ForeignDataException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ForeignDataException(String dataset, String path) {
    super("dataset '" + dataset + "': " + path + " holds data Stepwise did not write (it has no "
        + OwnerMarker.FILE_NAME + " marker), so it is left untouched and nothing is published; move it away or"
        + " delete it yourself, then run again");
  }
}
