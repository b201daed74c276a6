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
 * @param table for a Delta dataset named by a catalog table ({@code table = db.name}): that name. Its
 *     {@code location} is the name too until a session {@linkplain #locatedAt looks the table up}, then
 *     the table's folder, which {@code root} must hold
 */
public record StorageSpec(
    StorageFormat format,
    String location,
    Map<String, String> options,
    Optional<String> schema,
    List<String> partitionBy,
    Optional<StorageRoot> root,
    Set<String> allowSubpaths,
    Optional<RunDatePartition> runDatePartition,
    Optional<String> table) {

  public StorageSpec {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(location, "location");
    options = Map.copyOf(options);
    Objects.requireNonNull(schema, "schema");
    partitionBy = List.copyOf(partitionBy);
    Objects.requireNonNull(root, "root");
    allowSubpaths = Set.copyOf(allowSubpaths);
    Objects.requireNonNull(runDatePartition, "runDatePartition");
    Objects.requireNonNull(table, "table");
  }

  public StorageSpec(StorageFormat format, String location, Map<String, String> options, Optional<String> schema,
      List<String> partitionBy, Optional<StorageRoot> root, Set<String> allowSubpaths,
      Optional<RunDatePartition> runDatePartition) {
    this(format, location, options, schema, partitionBy, root, allowSubpaths, runDatePartition, Optional.empty());
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

  /**
   * The same storage at another (resolved) location, with the same root; for a Delta table named by
   * a catalog table that is not located yet, the resolved name.
   */
  public StorageSpec withLocation(String resolved) {
    return new StorageSpec(format, resolved, options, schema, partitionBy, root, allowSubpaths, runDatePartition,
        isUnlocatedTable() ? Optional.of(resolved) : table);
  }

  /** The same Delta storage named by a catalog table ({@code table = db.name}); its location is the name. */
  public StorageSpec namingTable(String name) {
    return new StorageSpec(format, name, options, schema, partitionBy, root, allowSubpaths, runDatePartition,
        Optional.of(name));
  }

  /** This Delta table named by a catalog table, at the folder the catalog gives it. */
  public StorageSpec locatedAt(String folder) {
    if (table.isEmpty()) {
      throw new IllegalStateException("only a Delta dataset named by a catalog table is located: " + location);
    }
    return new StorageSpec(format, folder, options, schema, partitionBy, root, allowSubpaths, runDatePartition, table);
  }

  /** Whether {@link #location()} is a catalog table's name, not a path: a table, or a named Delta table not located yet. */
  public boolean locationIsTableName() {
    return format == StorageFormat.TABLE || isUnlocatedTable();
  }

  /** A Delta table named by a catalog table whose folder no session has looked up yet. */
  public boolean isUnlocatedTable() {
    return table.isPresent() && table.get().equals(location);
  }

  /** The same storage with its run-date partition (if it has one) set to a run's date. */
  public StorageSpec onRunDate(java.time.LocalDate runDate) {
    return new StorageSpec(format, location, options, schema, partitionBy, root, allowSubpaths,
        runDatePartition.map(p -> p.on(runDate)), table);
  }

  /** The same storage whose Delta table keeps many run dates, one partition each in {@code column}. */
  public StorageSpec withRunDateColumn(String column) {
    return new StorageSpec(format, location, options, schema, partitionBy, root, allowSubpaths,
        Optional.of(RunDatePartition.column(column)), table);
  }

  /**
   * The same storage held below {@code pipelineRoot}, unless the dataset declared a root of its own.
   */
  public StorageSpec under(StorageRoot pipelineRoot) {
    if (format == StorageFormat.TABLE || root.map(r -> r.origin() == StorageRoot.Origin.DATASET).orElse(false)) {
      return this;
    }
    return new StorageSpec(format, location, options, schema, partitionBy, Optional.of(pipelineRoot), allowSubpaths,
        runDatePartition, table);
  }

  private static Optional<StorageRoot> impliedRoot(StorageFormat format, String location) {
    return format == StorageFormat.TABLE ? Optional.empty() : StorageRoot.enclosing(location);
  }
}
