package dev.stepwise.core.step;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.stepwise.core.problem.ConfigProblem;
import dev.stepwise.core.problem.InvalidConfigException;
import dev.stepwise.core.problem.Suggestions;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Typed access to a step's {@code params} block. Each getter validates its value and fails with the
 * file:line, the key and what would be valid; keys that no getter asked for are reported by the
 * loader as unknown, so a misspelled parameter never silently falls back to its default.
 */
public final class StepParams {
  private final Config config;
  private final String path;
  private final ConfigOrigin ownerOrigin;
  private final Set<String> read = new LinkedHashSet<>();
  private final List<StepParams> children = new ArrayList<>();
  private final List<String> inputRoles;

  private StepParams(Config config, String path, ConfigOrigin ownerOrigin, List<String> inputRoles) {
    this.config = config;
    this.path = path;
    this.ownerOrigin = ownerOrigin;
    this.inputRoles = List.copyOf(inputRoles);
  }

  private StepParams(Config config, String path, ConfigOrigin ownerOrigin) {
    this(config, path, ownerOrigin, List.of());
  }

  /** Params read from config; {@code path} is the full key of the block, used in messages. */
  public static StepParams of(Config config, String path, ConfigOrigin ownerOrigin) {
    return new StepParams(config, path, ownerOrigin);
  }

  /**
   * Params of a step whose type takes its input roles from config ({@link StepType#inputRolesFromConfig()}):
   * {@code inputRoles} are the roles its {@code inputs} block binds.
   */
  public static StepParams of(Config config, String path, ConfigOrigin ownerOrigin, List<String> inputRoles) {
    return new StepParams(config, path, ownerOrigin, inputRoles);
  }

  /** Params from plain values and the input roles bound, for tests of steps whose roles come from config. */
  public static StepParams of(Map<String, ?> values, List<String> inputRoles) {
    Config config = ConfigFactory.parseMap(values, "params given in code");
    return new StepParams(config, "params", config.origin(), inputRoles);
  }

  /** The input roles the step's config binds, for types that take them from config; else empty. */
  public List<String> inputRoles() {
    return inputRoles;
  }

  /**
   * A problem with the value of {@code key}, located {@code linesIn} lines below where the value
   * starts (a position inside a multi-line string, such as a SQL query).
   */
  public InvalidConfigException problemAt(String key, int linesIn, String message) {
    ConfigValue value = config.root().get(key);
    ConfigOrigin origin = value == null ? ownerOrigin : value.origin();
    if (value != null && value.valueType() == ConfigValueType.STRING && origin.lineNumber() > 0) {
      // typesafe-config gives a multi-line string the line it ends on; count from the line it starts on.
      long breaks = ((String) value.unwrapped()).chars().filter(c -> c == '\n').count();
      origin = origin.withLineNumber((int) Math.max(1, origin.lineNumber() - breaks + linesIn));
    }
    return problem(origin, key, message);
  }

  /**
   * The values of a block of scalars, typed by how config wrote them: whole numbers as Long,
   * other numbers as BigDecimal (never double: no rounding on the way in), strings, booleans.
   */
  public Map<String, Object> scalars(String key) {
    StepParams block = object(key);
    Map<String, Object> result = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigValue> entry : block.config.root().entrySet()) {
      block.read.add(entry.getKey());
      ConfigValue value = entry.getValue();
      result.put(entry.getKey(), switch (value.valueType()) {
        case STRING -> (String) value.unwrapped();
        case BOOLEAN -> (Boolean) value.unwrapped();
        case NUMBER -> number(value.render());
        default -> throw block.problem(value.origin(), entry.getKey(),
            "expected a number, string or boolean, got " + render(value));
      });
    }
    return result;
  }

  private static Object number(String text) {
    BigDecimal decimal = new BigDecimal(text.trim());
    if (decimal.scale() <= 0) {
      try {
        return decimal.longValueExact();
      } catch (ArithmeticException tooBig) {
        return decimal;
      }
    }
    return decimal;
  }

  /** Params from plain values, for tests and programmatic pipelines. */
  public static StepParams of(Map<String, ?> values) {
    Config config = ConfigFactory.parseMap(values, "params given in code");
    return new StepParams(config, "params", config.origin());
  }

  public static StepParams empty() {
    return of(Map.of());
  }

  public String string(String key) {
    return stringValue(require(key), key);
  }

  public String string(String key, String defaultValue) {
    return has(key) ? string(key) : defaultValue;
  }

  public int integer(String key) {
    ConfigValue value = require(key);
    try {
      return config.getInt(quoted(key));
    } catch (ConfigException e) {
      throw problem(value.origin(), key, "expected a whole number, got " + render(value));
    }
  }

  public int integer(String key, int defaultValue) {
    return has(key) ? integer(key) : defaultValue;
  }

  public boolean bool(String key, boolean defaultValue) {
    if (!has(key)) {
      return defaultValue;
    }
    ConfigValue value = require(key);
    if (value.valueType() != ConfigValueType.BOOLEAN) {
      throw problem(value.origin(), key, "expected true or false, got " + render(value));
    }
    return config.getBoolean(quoted(key));
  }

  /** A decimal number; money and rates are never doubles. */
  public BigDecimal decimal(String key) {
    ConfigValue value = require(key);
    String text = String.valueOf(value.unwrapped());
    if (value.valueType() != ConfigValueType.NUMBER && value.valueType() != ConfigValueType.STRING) {
      throw problem(value.origin(), key, "expected a decimal number such as 0.029, got " + render(value));
    }
    try {
      return new BigDecimal(text.trim());
    } catch (NumberFormatException e) {
      throw problem(value.origin(), key, "expected a decimal number such as 0.029, got " + render(value));
    }
  }

  public BigDecimal decimal(String key, BigDecimal defaultValue) {
    return has(key) ? decimal(key) : defaultValue;
  }

  /** A HOCON duration such as {@code 2d}, {@code 36h} or {@code 90m}. */
  public Duration duration(String key) {
    ConfigValue value = require(key);
    try {
      return config.getDuration(quoted(key));
    } catch (ConfigException e) {
      throw problem(value.origin(), key, "expected a duration such as 2d, 36h or 90m, got " + render(value));
    }
  }

  public Duration duration(String key, Duration defaultValue) {
    return has(key) ? duration(key) : defaultValue;
  }

  public List<String> strings(String key, List<String> defaultValue) {
    if (!has(key)) {
      return defaultValue;
    }
    ConfigValue value = require(key);
    if (value.valueType() != ConfigValueType.LIST) {
      throw problem(value.origin(), key, "expected a list such as [a, b], got " + render(value));
    }
    return config.getList(quoted(key)).stream().map(v -> stringValue(v, key)).toList();
  }

  /** One of an enum's constants, written in any case. */
  public <E extends Enum<E>> E choice(String key, Class<E> type, E defaultValue) {
    if (!has(key)) {
      return defaultValue;
    }
    ConfigValue value = require(key);
    String text = stringValue(value, key);
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equalsIgnoreCase(text)) {
        return constant;
      }
    }
    String valid = Arrays.stream(type.getEnumConstants())
        .map(c -> c.name().toLowerCase(Locale.ROOT))
        .collect(Collectors.joining(", "));
    throw problem(value.origin(), key, "expected one of " + valid + ", got " + render(value));
  }

  /** A block of name = decimal pairs, e.g. fee rates by market; keys keep their config order. */
  public Map<String, BigDecimal> decimals(String key) {
    StepParams block = object(key);
    Map<String, BigDecimal> result = new LinkedHashMap<>();
    for (String name : block.config.root().keySet()) {
      result.put(name, block.decimal(name));
    }
    return result;
  }

  /** A nested block of parameters; its unknown keys are reported like the top level's. */
  public StepParams object(String key) {
    ConfigValue value = require(key);
    if (value.valueType() != ConfigValueType.OBJECT) {
      throw problem(value.origin(), key, "expected a block { ... }, got " + render(value));
    }
    StepParams child = new StepParams(config.getConfig(quoted(key)), path + "." + key, value.origin());
    children.add(child);
    return child;
  }

  public boolean has(String key) {
    read.add(key);
    return config.root().containsKey(key) && config.root().get(key).valueType() != ConfigValueType.NULL;
  }

  /** Keys present in config that no getter asked for, with where they are, here and in blocks. */
  public List<ConfigProblem> unknownKeys() {
    List<ConfigProblem> problems = new ArrayList<>();
    for (Map.Entry<String, ConfigValue> entry : config.root().entrySet()) {
      if (!read.contains(entry.getKey())) {
        problems.add(ConfigProblem.at(entry.getValue().origin(), path + "." + entry.getKey(),
            "unknown parameter" + Suggestions.didYouMean(entry.getKey(), read)
                + (read.isEmpty() ? "; this step takes no parameters" : "; known: " + read)));
      }
    }
    for (StepParams child : children) {
      problems.addAll(child.unknownKeys());
    }
    return problems;
  }

  private ConfigValue require(String key) {
    read.add(key);
    ConfigValue value = config.root().get(key);
    if (value == null || value.valueType() == ConfigValueType.NULL) {
      throw problem(ownerOrigin, key, "missing required parameter");
    }
    return value;
  }

  private String stringValue(ConfigValue value, String key) {
    if (value.valueType() == ConfigValueType.OBJECT || value.valueType() == ConfigValueType.LIST) {
      throw problem(value.origin(), key, "expected a single value, got " + render(value));
    }
    return String.valueOf(value.unwrapped());
  }

  private InvalidConfigException problem(ConfigOrigin origin, String key, String message) {
    return new InvalidConfigException(ConfigProblem.at(origin, path + "." + key, message));
  }

  private static String quoted(String key) {
    return com.typesafe.config.ConfigUtil.joinPath(key);
  }

  private static String render(ConfigValue value) {
    return value.valueType().name().toLowerCase(Locale.ROOT) + " " + value.render();
  }
}
