package dev.stepwise.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;

/**
 * Types a {@code --set KEY=VALUE} value the way HOCON would type it in the file, so
 * {@code --set pipeline.airflow.retries=0} is a number and {@code --set x.checkpoint=true} a boolean,
 * whatever the key. Strings stay exactly as given: HOCON would cut {@code s3a://bucket/x} at the
 * comment marker {@code //} and would try to resolve {@code ${...}}.
 */
final class SetValues {
  private static final String FIELD = "value";

  private SetValues() {}

  static ConfigValue typed(String key, String raw) {
    String origin = "--set " + key;
    ConfigValue parsed = parsed(raw, origin);
    if (parsed == null || parsed.valueType() == ConfigValueType.STRING || cutByComment(raw, parsed)) {
      return ConfigValueFactory.fromAnyRef(raw, origin);
    }
    return parsed;
  }

  /**
   * Whether HOCON read only a prefix of {@code raw} and took the rest for a comment: {@code 5#x} parses
   * as the number 5, {@code true // x} as true. Such a value is the string as typed, never its prefix.
   */
  private static boolean cutByComment(String raw, ConfigValue parsed) {
    return switch (parsed.valueType()) {
      case NUMBER -> !isNumber(raw.strip());
      case BOOLEAN, NULL -> !parsed.render().equals(raw.strip());
      default -> raw.contains("#") || raw.contains("//");
    };
  }

  private static boolean isNumber(String text) {
    try {
      new java.math.BigDecimal(text);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** The HOCON value of {@code raw}, or null when it is not one value HOCON can type on its own. */
  private static ConfigValue parsed(String raw, String origin) {
    try {
      Config config = ConfigFactory.parseString(FIELD + " = " + raw,
          ConfigParseOptions.defaults().setOriginDescription(origin));
      // "1, other = 2" would parse as two keys; ${...} would need the rest of the file: both stay strings.
      if (config.root().size() != 1 || !config.isResolved()) {
        return null;
      }
      return config.root().get(FIELD);
    } catch (ConfigException e) {
      return null;
    }
  }
}
