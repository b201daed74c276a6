package dev.stepwise.core.run;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns Spark's report of a source record that does not fit its declared schema (read in FAILFAST
 * mode) into an error naming the dataset, the file and what to do. Spark says it three layers
 * deep, naming the file but not the dataset, and the innermost layer alone ("Character array
 * contains more than one decimal point") tells a person nothing about where to look.
 */
final class BadSourceRecord {
  private static final Pattern FILE = Pattern.compile("\\[FAILED_READ_FILE[^\\]]*] Encountered error while reading file (\\S+?)\\.?\\s");
  private static final Pattern RECORD = Pattern.compile("\\[MALFORMED_RECORD_IN_PARSING[^\\]]*] [^:]*: (.*)");

  private BadSourceRecord() {}

  /**
   * @param sources each source dataset the task reads, by its resolved location
   * @return the explanation, when {@code failure} is such a record in one of {@code sources}
   */
  static Optional<String> explain(Throwable failure, Map<String, String> sources) {
    String file = null;
    String record = null;
    for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
      String message = t.getMessage() == null ? "" : t.getMessage();
      Matcher f = FILE.matcher(message);
      if (file == null && f.find()) {
        file = f.group(1);
      }
      Matcher r = RECORD.matcher(message);
      if (record == null && r.find()) {
        record = r.group(1).strip();
      }
    }
    if (file == null || record == null) {
      return Optional.empty();
    }
    String path = file;
    String parsed = withoutFinalStop(record);
    String cause = withoutFinalStop(StepFailedException.rootMessage(failure));
    return sources.entrySet().stream().filter(s -> path.contains(stripScheme(s.getKey()))).findFirst()
        .map(Map.Entry::getValue)
        .map(dataset -> "source '" + dataset + "' has a record that does not fit its declared schema, in " + path
            + " (Spark parsed it as " + parsed + ": " + cause + "). Fix the data, or give '" + dataset
            + "' options { mode = PERMISSIVE } to read such values as null, and an expectation to count them");
  }

  private static String withoutFinalStop(String text) {
    return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
  }

  private static String stripScheme(String location) {
    return location.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*:/*", "/").replaceFirst("^/+", "/");
  }
}
