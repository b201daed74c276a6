package dev.stepwise.core.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Recognizes config values that must never be shown: anything under a key naming a password,
 * secret, token or credentials (e.g. {@code spark.hadoop.fs.s3a.secret.key}). Plans, manifests,
 * logs and run reports print {@link #MASK} instead; the real value reaches only Spark.
 */
public final class Secrets {
  public static final String MASK = "*****";
  private static final Pattern SECRET_WORD = Pattern.compile(
      "(^|[._\\-])(password|passwd|secret|token|credentials?|api[._\\-]?key|private[._\\-]?key)([._\\-]|$)");

  private Secrets() {}

  public static boolean isSecret(String key) {
    return SECRET_WORD.matcher(key.toLowerCase(Locale.ROOT)).find();
  }

  /** The value to show for {@code key}. */
  public static String shown(String key, String value) {
    return isSecret(key) ? MASK : value;
  }

  /** A copy with every secret value masked, in the same order. */
  public static Map<String, String> masked(Map<String, String> settings) {
    Map<String, String> result = new LinkedHashMap<>();
    settings.forEach((key, value) -> result.put(key, shown(key, value)));
    return result;
  }

  /** A {@code KEY=VALUE} command-line argument with its value masked when the key is secret. */
  public static String maskedAssignment(String assignment) {
    int eq = assignment.indexOf('=');
    return eq > 0 && isSecret(assignment.substring(0, eq)) ? assignment.substring(0, eq + 1) + MASK : assignment;
  }
}
