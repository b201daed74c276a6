package dev.stepwise.core.quality;

import java.util.List;

/** A dataset does not have the columns or types its declared schema promises. */
public final class SchemaMismatchException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String dataset;
  private final List<String> differences;

  public SchemaMismatchException(String dataset, String source, List<String> differences) {
    super("dataset '" + dataset + "' (" + source + ") does not match its declared schema: "
        + String.join("; ", differences));
    this.dataset = dataset;
    this.differences = List.copyOf(differences);
  }

  public String dataset() {
    return dataset;
  }

  public List<String> differences() {
    return differences;
  }
}
