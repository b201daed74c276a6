package dev.stepwise.entrypoint.cli;

import dev.stepwise.core.config.Reasons;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A failure as a person reads it without {@code --verbose}: the failure's own message without the
 * stack frames and plan dumps Spark folds into its messages, then the innermost cause (the file
 * that is not parquet, "No space left on device") when the message does not already say it.
 */
final class FailureText {
  /** Where the part of a message worth printing ends: a stack frame, a nested trace, a plan dump. */
  private static final Pattern DETAIL = Pattern.compile(
      "^\\s*(at [\\w$.<>/]+\\(.*|Caused by:.*|\\.\\.\\. \\d+ more|Suppressed:.*|== .* ==|[+:!-]*\\s*'?[A-Z][A-Za-z]+ \\[.*)$");
  private static final int MAX_LINES = 8;
  private static final int MAX_LINE_LENGTH = 600;

  private FailureText() {}

  static List<String> lines(Throwable failure) {
    List<String> lines = new ArrayList<>(headline(failure.getMessage() == null ? failure.toString() : failure.getMessage()));
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String cause = Reasons.of(root);
    if (root != failure && lines.stream().noneMatch(line -> line.contains(cause))) {
      lines.add("cause: " + clipped(cause));
    }
    Reasons.fileBeingRead(failure).filter(file -> lines.stream().noneMatch(line -> line.contains(file)))
        .ifPresent(file -> lines.add("while reading: " + file));
    return lines;
  }

  private static List<String> headline(String message) {
    List<String> lines = new ArrayList<>();
    for (String line : message.split("\\R")) {
      if (DETAIL.matcher(line).matches() || lines.size() == MAX_LINES) {
        break;
      }
      if (!line.isBlank()) {
        lines.add(clipped(line.strip()));
      }
    }
    return lines;
  }

  private static String clipped(String line) {
    return line.length() <= MAX_LINE_LENGTH ? line : line.substring(0, MAX_LINE_LENGTH) + " ...";
  }
}
