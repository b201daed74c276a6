package dev.stepwise.core.config;

/**
 * The reason an exception gives, as one line. Spark's parser messages start with a blank line and
 * continue with the query and a caret, so their first line alone is often empty.
 */
public final class Reasons {
  private Reasons() {}

  public static String of(Throwable e) {
    String message = e.getMessage();
    if (message != null) {
      for (String line : message.split("\\R")) {
        if (!line.isBlank()) {
          return line.strip();
        }
      }
    }
    return e.getClass().getSimpleName();
  }
}
