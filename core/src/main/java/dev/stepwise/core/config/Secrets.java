package dev.stepwise.core.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The one rule for config values that must never be shown: the key names a password, secret, token,
 * credentials or a key that grants access (e.g. {@code spark.hadoop.fs.s3a.secret.key},
 * {@code spark.ssl.keyStorePassword}, {@code fs.azure.account.key.<account>.dfs.core.windows.net}).
 * Plans, manifests, reports and advice print {@link #MASK} instead; the real value reaches only
 * Spark, which gets the same rule as {@code spark.redaction.regex} for its UI and event log.
 *
 * <p>The rule is a case-insensitive search anywhere in the key, so camelCase names
 * ({@code ConnectionPassword}, {@code accessKey}) match without a separator before the word. It
 * contains Spark's own default, {@code (?i)secret|password|token|access[.]key}.
 */
public final class Secrets {
  public static final String MASK = "*****";

  /** Handed to Spark as {@code spark.redaction.regex}: a Java regex, as Spark expects. */
  public static final String REDACTION_REGEX = "(?i)secret|password|token|access[.]key"
      + "|passwd|pwd|passphrase|credential(?!s?[._-]?provider)s?|jaas|(?:^|[._-])sas(?:[._-]|$)"
      + "|(?:access|account|private|api|encryption)[._-]?key|keystore[._-]key(?:$|[._-])";
  /** The config key under which Spark reads the rule. */
  public static final String SPARK_REDACTION_KEY = "spark.redaction.regex";

  private static final Pattern RULE = Pattern.compile(REDACTION_REGEX);

  private Secrets() {}

  public static boolean isSecret(String key) {
    return RULE.matcher(key).find();
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

  /**
   * The redaction rule for a session whose launcher may already have set one: Spark redacts what
   * either rule matches.
   */
  public static String sparkRedactionRegex(String launcherRegex) {
    return launcherRegex == null || launcherRegex.isBlank() || launcherRegex.equals(REDACTION_REGEX)
        ? REDACTION_REGEX
        : "(?:" + REDACTION_REGEX + ")|(?:" + launcherRegex + ")";
  }
}
