package dev.stepwise.core.config;

import dev.stepwise.core.problem.Suggestions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.internal.config.ConfigEntry;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Checks a grouping's Spark settings against the config entries Spark itself registers (core's
 * {@code org.apache.spark.internal.config} objects, {@code SQLConf}, {@code StaticSQLConf}), without
 * starting Spark: a known key must have a value its entry parses ({@code executor.memory = lots}
 * fails here, not at session start); an unknown key is refused in the namespaces Spark owns
 * ({@code spark.sql.}, {@code spark.executor.}, ...) and anywhere when it is a near miss of a known
 * key ({@code sql.shufle.partitions}). Keys of other libraries and of cluster managers not on the
 * class path ({@code spark.hadoop.}, {@code spark.kubernetes.}, ...) pass as they are.
 */
final class SparkSettingsCheck {
  private static final List<String> CONFIG_OBJECTS = List.of(
      "org.apache.spark.internal.config.package$", "org.apache.spark.internal.config.Deploy$",
      "org.apache.spark.internal.config.History$", "org.apache.spark.internal.config.Kryo$",
      "org.apache.spark.internal.config.Network$", "org.apache.spark.internal.config.Python$",
      "org.apache.spark.internal.config.R$", "org.apache.spark.internal.config.Status$",
      "org.apache.spark.internal.config.UI$", "org.apache.spark.internal.config.Worker$",
      "org.apache.spark.sql.internal.SQLConf$", "org.apache.spark.sql.internal.StaticSQLConf$");
  /** Namespaces whose every key Spark registers, apart from the dynamic prefixes below. */
  private static final List<String> OWNED = List.of("spark.sql.", "spark.executor.", "spark.driver.",
      "spark.memory.", "spark.dynamicAllocation.", "spark.shuffle.", "spark.speculation", "spark.task.",
      "spark.default.", "spark.serializer", "spark.kryo", "spark.io.", "spark.locality.", "spark.scheduler.",
      "spark.storage.", "spark.network.", "spark.rpc.", "spark.cores.", "spark.eventLog.", "spark.ui.");
  /** Keys Spark reads by prefix, with a name part the user chooses. */
  private static final List<String> DYNAMIC = List.of("spark.sql.catalog.", "spark.executor.resource.",
      "spark.driver.resource.", "spark.executorEnv.", "spark.sql.hive.metastore.", "spark.sql.streaming.",
      "spark.executor.plugin", "spark.sql.sources.", "spark.sql.parquet.", "spark.sql.orc.");
  private static final int NEAR_MISS = 2;
  /**
   * Counts Spark registers without a range check, so a negative number would pass its entry and
   * fail (or be ignored) only on the cluster. The value is the least valid count.
   */
  private static final Map<String, Integer> LEAST_COUNT = Map.of("spark.executor.instances", 0,
      "spark.executor.cores", 1, "spark.driver.cores", 1, "spark.task.cpus", 1, "spark.cores.max", 1,
      "spark.default.parallelism", 1, "spark.dynamicAllocation.minExecutors", 0,
      "spark.dynamicAllocation.maxExecutors", 1, "spark.dynamicAllocation.initialExecutors", 0);

  private static volatile Map<String, ConfigEntry<?>> entries;

  private SparkSettingsCheck() {}

  /** What is wrong with {@code key = value}, if anything; {@code key} is a full Spark key. */
  static Optional<String> problem(String key, String value) {
    Map<String, ConfigEntry<?>> known = entries();
    ConfigEntry<?> entry = known.get(key);
    String shown = Secrets.shown(key, value);
    if (entry != null) {
      try {
        entry.valueConverter().apply(value);
        Integer least = LEAST_COUNT.get(key);
        if (least != null && Integer.parseInt(value.strip()) < least) {
          return Optional.of("'" + shown + "' is not a valid value for " + key + ": at least " + least);
        }
        return Optional.empty();
      } catch (RuntimeException e) {
        return Optional.of("'" + shown + "' is not a valid value for " + key + " (" + Reasons.of(e).replace(value, shown)
            + "); its default is " + entry.defaultValueString());
      }
    }
    boolean owned = OWNED.stream().anyMatch(key::startsWith) && DYNAMIC.stream().noneMatch(key::startsWith);
    Optional<String> closest = Suggestions.closest(key, known.keySet());
    boolean nearMiss = closest.isPresent() && distance(key, closest.get()) <= NEAR_MISS;
    if (owned || nearMiss) {
      return Optional.of("unknown Spark setting " + key + closest.map(c -> " (did you mean '" + c + "'?)").orElse("")
          + "; Spark registers no such key. Write keys as Spark documents them, with or without the 'spark.' prefix");
    }
    return Optional.empty();
  }

  private static int distance(String a, String b) {
    // Suggestions allows more edits for long names; a near miss outside Spark's own namespaces must be close.
    return Suggestions.closest(a, List.of(b)).isPresent() ? Suggestions.distance(a, b) : Integer.MAX_VALUE;
  }

  private static Map<String, ConfigEntry<?>> entries() {
    Map<String, ConfigEntry<?>> loaded = entries;
    if (loaded == null) {
      synchronized (SparkSettingsCheck.class) {
        if (entries == null) {
          entries = load();
        }
        loaded = entries;
      }
    }
    return loaded;
  }

  /** Loading Spark's config objects registers their entries; nothing here starts Spark. */
  private static Map<String, ConfigEntry<?>> load() {
    ClassLoader loader = SparkSettingsCheck.class.getClassLoader();
    for (String name : CONFIG_OBJECTS) {
      try {
        Class.forName(name, true, loader);
      } catch (ClassNotFoundException | LinkageError absent) {
        // An object missing from this Spark version registers nothing; the others still check.
      }
    }
    Map<String, ConfigEntry<?>> result = new TreeMap<>();
    Collection<ConfigEntry<?>> all = ConfigEntry.listAllEntries();
    for (ConfigEntry<?> entry : new ArrayList<>(all)) {
      result.put(entry.key(), entry);
      for (String alternative : CollectionConverters.asJava(entry.alternatives())) {
        result.putIfAbsent(alternative, entry);
      }
    }
    return Map.copyOf(result);
  }
}
