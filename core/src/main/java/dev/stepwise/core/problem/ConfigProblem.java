package dev.stepwise.core.problem;

import com.typesafe.config.ConfigOrigin;
import java.util.Objects;

/**
 * One thing wrong with a config: where (file:line), which key, and what to do about it.
 *
 * @param location "file:line" of the offending value, or the best place known
 * @param key the full config path of the key, e.g. {@code steps.compute_fees.params.rate}
 * @param message what is wrong and what would be valid
 */
public record ConfigProblem(String location, String key, String message) {

  public ConfigProblem {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(message, "message");
  }

  public static ConfigProblem at(ConfigOrigin origin, String key, String message) {
    return new ConfigProblem(Origins.describe(origin), key, message);
  }

  @Override
  public String toString() {
    return location + ": " + (key.isEmpty() ? "" : key + ": ") + message;
  }
}
