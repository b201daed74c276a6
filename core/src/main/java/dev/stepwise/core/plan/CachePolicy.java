package dev.stepwise.core.plan;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * How a task chooses to keep a dataset that several of its steps use. Set per run with the Spark
 * setting {@value #KEY} (spark-submit {@code --conf}, or {@code -D} for bin/stepwise), or per task in
 * a grouping's {@code spark} block; the launcher's value wins, as for every Spark setting.
 */
public enum CachePolicy {
  /** Decide per dataset: cache only what would cost more to compute or parse again. */
  BY_COST("by-cost"),
  /** Cache every dataset used more than once, as Stepwise did before it weighed the cost. */
  ALL("all");

  public static final String KEY = "spark.stepwise.cache.policy";
  public static final CachePolicy DEFAULT = BY_COST;

  private final String configName;

  CachePolicy(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  /** The policy a setting names, or empty for an unknown name (see {@link #choices()}). */
  public static Optional<CachePolicy> named(String value) {
    String wanted = value.strip().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(p -> p.configName.equals(wanted)).findFirst();
  }

  /** What a valid value of {@value #KEY} is, for error messages. */
  public static String choices() {
    return String.join(" or ", Arrays.stream(values()).map(CachePolicy::configName).toList());
  }
}
