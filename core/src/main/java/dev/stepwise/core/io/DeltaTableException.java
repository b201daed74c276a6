package dev.stepwise.core.io;

/**
 * A Delta dataset's table cannot be read or written as declared: its folder holds no Delta table,
 * its log cannot be read, or its schema or partitioning is not what the run writes. Nothing of the
 * run is committed to it.
 */
public final class DeltaTableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  DeltaTableException(String dataset, String path, String problem, Throwable cause) {
    super("dataset '" + dataset + "' (format delta) at " + path + ": " + problem, cause);
  }

  DeltaTableException(String dataset, String path, String problem) {
    this(dataset, path, problem, null);
  }
}
