package dev.stepwise.core.config;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.stepwise.core.problem.ConfigProblem;
import dev.stepwise.core.problem.Origins;
import dev.stepwise.core.problem.Suggestions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads one block of a config with a fixed set of keys. Problems (unknown or misspelled keys,
 * wrong types, missing values) are added to a shared list instead of thrown, so a single load
 * reports all of them; getters then return empty.
 */
final class ConfigBlock {
  private final ConfigObject object;
  private final String path;
  private final List<ConfigProblem> problems;

  ConfigBlock(ConfigObject object, String path, List<ConfigProblem> problems) {
    this.object = object;
    this.path = path;
    this.problems = problems;
  }

  String path() {
    return path;
  }

  ConfigOrigin origin() {
    return object.origin();
  }

  String location() {
    return Origins.describe(object.origin());
  }

  Set<String> keys() {
    return object.keySet();
  }

  /** Reports every key not in {@code known}, suggesting the closest known one. */
  ConfigBlock allowOnly(Set<String> known) {
    for (Map.Entry<String, ConfigValue> entry : object.entrySet()) {
      if (!known.contains(entry.getKey())) {
        problems.add(ConfigProblem.at(entry.getValue().origin(), key(entry.getKey()),
            "unknown key" + Suggestions.didYouMean(entry.getKey(), known) + "; allowed here: "
                + String.join(", ", known.stream().sorted().toList())));
      }
    }
    return this;
  }

  Optional<ConfigValue> value(String key) {
    ConfigValue value = object.get(key);
    return value == null || value.valueType() == ConfigValueType.NULL ? Optional.empty() : Optional.of(value);
  }

  Optional<String> string(String key) {
    return value(key).flatMap(v -> {
      if (v.valueType() == ConfigValueType.OBJECT || v.valueType() == ConfigValueType.LIST) {
        problem(v, key, "expected a single value, got " + describe(v));
        return Optional.empty();
      }
      return Optional.of(String.valueOf(v.unwrapped()));
    });
  }

  Optional<String> requiredString(String key) {
    Optional<String> s = string(key);
    if (value(key).isEmpty()) {
      problems.add(ConfigProblem.at(object.origin(), key(key), "missing required key '" + key + "'"));
    }
    return s;
  }

  Optional<Integer> integer(String key) {
    return value(key).flatMap(v -> {
      if (v.valueType() == ConfigValueType.NUMBER && v.unwrapped() instanceof Integer i) {
        return Optional.of(i);
      }
      problem(v, key, "expected a whole number, got " + describe(v));
      return Optional.empty();
    });
  }

  Optional<Boolean> bool(String key) {
    return value(key).flatMap(v -> {
      if (v.valueType() == ConfigValueType.BOOLEAN) {
        return Optional.of((Boolean) v.unwrapped());
      }
      problem(v, key, "expected true or false, got " + describe(v));
      return Optional.empty();
    });
  }

  Optional<Duration> duration(String key) {
    return value(key).flatMap(v -> {
      try {
        return Optional.of(object.toConfig().getDuration(com.typesafe.config.ConfigUtil.joinPath(key)));
      } catch (com.typesafe.config.ConfigException e) {
        problem(v, key, "expected a duration such as 10m, 2h or 1d, got " + describe(v));
        return Optional.empty();
      }
    });
  }

  <E extends Enum<E>> Optional<E> choice(String key, Class<E> type, List<String> validNames) {
    return string(key).flatMap(s -> {
      for (E constant : type.getEnumConstants()) {
        if (constant.name().equalsIgnoreCase(s)) {
          return Optional.of(constant);
        }
      }
      problem(value(key).orElseThrow(), key, "'" + s + "' is not one of " + String.join(", ", validNames)
          + Suggestions.didYouMean(s, validNames));
      return Optional.empty();
    });
  }

  Optional<ConfigBlock> block(String key) {
    return value(key).flatMap(v -> {
      if (v instanceof ConfigObject child) {
        return Optional.of(new ConfigBlock(child, key(key), problems));
      }
      problem(v, key, "expected a block { ... }, got " + describe(v));
      return Optional.empty();
    });
  }

  /** Every entry of this block that is itself a block, e.g. the datasets of {@code datasets}. */
  List<Map.Entry<String, ConfigBlock>> blocks() {
    List<Map.Entry<String, ConfigBlock>> result = new ArrayList<>();
    for (Map.Entry<String, ConfigValue> entry : object.entrySet()) {
      if (entry.getValue() instanceof ConfigObject child) {
        result.add(Map.entry(entry.getKey(), new ConfigBlock(child, key(entry.getKey()), problems)));
      } else {
        problem(entry.getValue(), entry.getKey(), "expected a block { ... }, got " + describe(entry.getValue()));
      }
    }
    return sortedByLine(result);
  }

  /** A block of scalars as strings, nested keys joined with dots (HOCON's own flattening). */
  Map<String, String> flatStrings() {
    Map<String, String> result = new LinkedHashMap<>();
    flatValues().forEach((key, value) -> result.put(key, String.valueOf(value.unwrapped())));
    return result;
  }

  /** A block of scalars with their origins, nested keys joined with dots, lists reported as problems. */
  Map<String, ConfigValue> flatValues() {
    Map<String, ConfigValue> result = new LinkedHashMap<>();
    object.toConfig().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> {
          if (e.getValue().valueType() == ConfigValueType.LIST) {
            problem(e.getValue(), e.getKey(), "expected a single value, got " + describe(e.getValue()));
          } else {
            result.put(String.join(".", com.typesafe.config.ConfigUtil.splitPath(e.getKey())), e.getValue());
          }
        });
    return result;
  }

  /** A list of strings, each with the origin of its element (for per-element messages). */
  Optional<List<Map.Entry<String, ConfigOrigin>>> stringList(String key) {
    return value(key).flatMap(v -> {
      if (!(v instanceof ConfigList list)) {
        problem(v, key, "expected a list such as [a, b], got " + describe(v));
        return Optional.empty();
      }
      List<Map.Entry<String, ConfigOrigin>> items = new ArrayList<>();
      for (ConfigValue item : list) {
        if (item.valueType() == ConfigValueType.OBJECT || item.valueType() == ConfigValueType.LIST) {
          problem(item, key, "expected names in the list, got " + describe(item));
        } else {
          items.add(Map.entry(String.valueOf(item.unwrapped()), item.origin()));
        }
      }
      return Optional.of(items);
    });
  }

  void problem(ConfigValue value, String key, String message) {
    String full = key(key);
    // A message quoting the value of a secret key would print the secret.
    String shown = Secrets.isSecret(full) && value.valueType() != ConfigValueType.OBJECT
        && value.valueType() != ConfigValueType.LIST ? message.replace(value.render(), Secrets.MASK) : message;
    problems.add(ConfigProblem.at(value.origin(), full, shown));
  }

  /** A problem at a nested key given as a dotted path, e.g. {@code executor.memory} of a spark block. */
  void problemAtPath(ConfigValue value, String dottedPath, String message) {
    problems.add(ConfigProblem.at(value.origin(), path.isEmpty() ? dottedPath : path + "." + dottedPath, message));
  }

  void problem(String message) {
    problems.add(ConfigProblem.at(object.origin(), path, message));
  }

  String key(String child) {
    String quoted = com.typesafe.config.ConfigUtil.joinPath(child);
    return path.isEmpty() ? quoted : path + "." + quoted;
  }

  ConfigObject raw() {
    return object;
  }

  static String describe(ConfigValue value) {
    String type = value.valueType().name().toLowerCase(Locale.ROOT);
    return switch (value.valueType()) {
      case OBJECT -> "a block";
      case LIST -> "a list";
      default -> type + " " + value.render();
    };
  }

  /** HOCON objects do not keep declaration order; config files do, so we restore it by line. */
  private static List<Map.Entry<String, ConfigBlock>> sortedByLine(List<Map.Entry<String, ConfigBlock>> entries) {
    entries.sort(java.util.Comparator
        .comparing((Map.Entry<String, ConfigBlock> e) -> String.valueOf(e.getValue().origin().filename()))
        .thenComparingInt(e -> e.getValue().origin().lineNumber())
        .thenComparing(Map.Entry::getKey));
    return entries;
  }
}
