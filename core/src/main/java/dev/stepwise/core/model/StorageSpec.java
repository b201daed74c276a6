package dev.stepwise.core.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where and how a dataset is stored.
 *
 * @param format file format, or {@link StorageFormat#TABLE}
 * @param location a path template (may hold {@code {run_date}}, {@code {dataset}} and {@code --var}
 *     placeholders) or, for tables, a table name
 * @param options passed to Spark's reader and writer as they are
 * @param schema a DDL schema ("id STRING, amount DECIMAL(18,2)") applied when reading
 * @param partitionBy columns a table is partitioned by; a re-run overwrites only its partitions
 * @param root the folder every resolved location must stay below (see {@link StorageRoot}); empty
 *     for tables, or when the path cannot be read as a path at all (then every location is refused)
 * @param allowSubpaths placeholders whose values may hold several folders ("eu/west"), still below the root
 * @param runDatePartition for Delta tables that hold many run dates: the partition column a run replaces
 */
public record StorageSpec(
    StorageFormat format,
    String location,
    Map<String, String> options,
    Optional<String> schema,
    List<String> partitionBy,
    Optional<StorageRoot> root,
    Set<String> allowSubpaths,
    Optional<RunDatePartition> runDatePartition) {

  public StorageSpec {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(location, "location");
    options = Map.copyOf(options);
    Objects.requireNonNull(schema, "schema");
    partitionBy = List.copyOf(partitionBy);
    Objects.requireNonNull(root, "root");
    allowSubpaths = Set.copyOf(allowSubpaths);
    Objects.requireNonNull(runDatePartition, "runDatePartition");
  }

  public StorageSpec(StorageFormat format, String location, Map<String, String> options, Optional<String> schema,
      List<String> partitionBy, Optional<StorageRoot> root, Set<String> allowSubpaths) {
    this(format, location, options, schema, partitionBy, root, allowSubpaths, Optional.empty());
  }

  /** Storage whose root is the fixed part of its own path, no placeholder holding sub-folders. */
  public StorageSpec(StorageFormat format, String location, Map<String, String> options, Optional<String> schema,
      List<String> partitionBy) {
    this(format, location, options, schema, partitionBy, impliedRoot(format, location), Set.of());
  }

  public static StorageSpec files(StorageFormat format, String path) {
    return new StorageSpec(format, path, Map.of(), Optional.empty(), List.of());
  }

  /** The same storage with {@code {dataset}} in its location replaced by a dataset's name. */
  public StorageSpec forDataset(String dataset) {
    return withLocation(location.replace("{dataset}", dataset));
  }

  /** The same storage at another (resolved) location, with the same root. */
  public StorageSpec withLocation(String resolved) {
    return new StorageSpec(format, resolved, options, schema, partitionBy, root, allowSubpaths, runDatePartition);
  }

  /** The same storage with its run-date partition (if it has one) set to a run's date. */
  public StorageSpec onRunDate(java.time.LocalDate runDate) {
    return new StorageSpec(format, location, options, schema, partitionBy, root, allowSubpaths,
        runDatePartition.map(p -> p.on(runDate)));
  }

  /** The same storage whose Delta table keeps many run dates, one partition each in {@code column}. */
  public StorageSpec withRunDateColumn(String column) {
    return new StorageSpec(format, location, options, schema, partitionBy, root, allowSubpaths,
        Optional.of(RunDatePartition.column(column)));
  }

  /**
   * The same storage held below {@code pipelineRoot}, unless the dataset declared a root of its own.
   */
  public StorageSpec under(StorageRoot pipelineRoot) {
    if (format == StorageFormat.TABLE || root.map(r -> r.origin() == StorageRoot.Origin.DATASET).orElse(false)) {
      return this;
    }
    return new StorageSpec(format, location, options, schema, partitionBy, Optional.of(pipelineRoot), allowSubpaths,
        runDatePartition);
  }

  private static Optional<StorageRoot> impliedRoot(StorageFormat format, String location) {
    return format == StorageFormat.TABLE ? Optional.empty() : StorageRoot.enclosing(location);
  }
}
