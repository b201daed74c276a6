package dev.stepwise.core.run;

import java.util.List;

/** Inputs a task reads are absent: found before any SparkSession starts. */
public final class MissingInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MissingInputException(String task, List<String> missing) {
    super("task '" + task + "' cannot start: " + String.join("; ", missing));
  }
}
