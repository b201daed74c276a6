package dev.stepwise.core.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A task of a grouping: the steps that share one spark-submit and the Spark settings it gets.
 *
 * @param spark full Spark keys ("spark.executor.memory") to values
 */
public record TaskSpec(String name, List<String> steps, Map<String, String> spark, String location) {
  public TaskSpec {
    Objects.requireNonNull(name, "name");
    steps = List.copyOf(steps);
    spark = Collections.unmodifiableMap(new LinkedHashMap<>(spark));
    Objects.requireNonNull(location, "location");
  }
}
