package dev.stepwise.core.model;

/** A storage location uses a placeholder that the run gives no value for. */
public final class UnresolvedPlaceholderException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public UnresolvedPlaceholderException(String dataset, String placeholder, String template) {
    super("the location of dataset '" + dataset + "' (" + template + ") uses {" + placeholder
        + "}, but the run gives it no value; pass --var " + placeholder + "=VALUE");
  }
}
