package dev.stepwise.core.config;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how a dataset is stored.
 *
 * @param format file format, or {@link StorageFormat#TABLE}
 * @param location a path template (may hold {@code {run_date}}, {@code {dataset}} and {@code --var}
 *     placeholders) or, for tables, a table name
 * @param options passed to Spark's reader and writer as they are
 * @param schema a DDL schema ("id STRING, amount DECIMAL(18,2)") applied when reading
 * @param partitionBy columns a table is partitioned by; a re-run overwrites only its partitions
 */
public record StorageSpec(
    StorageFormat format,
    String location,
    Map<String, String> options,
    Optional<String> schema,
    List<String> partitionBy) {

  public StorageSpec {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(location, "location");
    options = Map.copyOf(options);
    Objects.requireNonNull(schema, "schema");
    partitionBy = List.copyOf(partitionBy);
  }

  public static StorageSpec files(StorageFormat format, String path) {
    return new StorageSpec(format, path, Map.of(), Optional.empty(), List.of());
  }

  /** The same storage with {@code {dataset}} in its location replaced by a dataset's name. */
  public StorageSpec forDataset(String dataset) {
    return new StorageSpec(format, location.replace("{dataset}", dataset), options, schema, partitionBy);
  }

  public StorageSpec withLocation(String resolved) {
    return new StorageSpec(format, resolved, options, schema, partitionBy);
  }
}
