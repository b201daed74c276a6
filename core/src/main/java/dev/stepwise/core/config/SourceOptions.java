package dev.stepwise.core.config;

import dev.stepwise.core.model.StorageFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reader options Stepwise sets on text sources with a declared schema unless the config chooses
 * otherwise: the data must match the contract instead of being coerced into it.
 */
final class SourceOptions {
  /** Spark then checks a csv header against the schema's column names instead of trusting positions. */
  static final String ENFORCE_SCHEMA = "enforceSchema";
  /**
   * Without it Spark falls back to a lenient date parser that reads "2026" as 2026-01-01 and
   * "2026-3" as 2026-03-01; with it a date must have the reader's dateFormat (yyyy-MM-dd).
   */
  static final String DATE_FALLBACK = "enableDateTimeParsingFallback";

  private SourceOptions() {}

  static Map<String, String> withStrictDefaults(StorageFormat format, Map<String, String> options, boolean schema) {
    if (!schema || (format != StorageFormat.CSV && format != StorageFormat.JSON)) {
      return options;
    }
    Map<String, String> result = new LinkedHashMap<>(options);
    if (format == StorageFormat.CSV) {
      putUnlessSet(result, ENFORCE_SCHEMA, "false");
    }
    putUnlessSet(result, DATE_FALLBACK, "false");
    return result;
  }

  private static void putUnlessSet(Map<String, String> options, String key, String value) {
    boolean set = options.keySet().stream().anyMatch(k -> k.toLowerCase(Locale.ROOT).equals(key.toLowerCase(Locale.ROOT)));
    if (!set) {
      options.put(key, value);
    }
  }
}
