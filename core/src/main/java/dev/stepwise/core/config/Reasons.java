package dev.stepwise.core.config;

import java.util.Map;
import java.util.Optional;
import org.apache.spark.SparkThrowable;

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

  /**
   * The file Spark says it was reading when {@code e} or one of its causes happened ({@code FAILED_READ_FILE}
   * and its kin carry it as a message parameter). The innermost message alone often does not name it: a
   * truncated parquet file can fail as "footer is too large", depending on where it was cut.
   */
  public static Optional<String> fileBeingRead(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SparkThrowable spark) {
        Map<String, String> parameters = spark.getMessageParameters();
        for (String key : new String[] {"path", "file", "filePath"}) {
          String value = parameters == null ? null : parameters.get(key);
          if (value != null && !value.isBlank()) {
            return Optional.of(value);
          }
        }
      }
    }
    return Optional.empty();
  }
}
