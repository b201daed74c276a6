package dev.stepwise.core.config;

import dev.stepwise.core.model.StorageFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.types.StructType;

/**
 * The storage keys only a Delta dataset has, checked once at load: {@code run_date_column} names
 * the partition column Stepwise fills with the run date and replaces a run date by, so it must be
 * one of {@code partition_by} and not a column of the data; Stepwise chooses {@code replaceWhere}
 * itself, so the config may not.
 */
final class DeltaStorageCheck {
  static final String RUN_DATE_COLUMN = "run_date_column";
  /** Writer options that would replace something else than the run's own partition. */
  private static final List<String> STEPWISE_CHOOSES = List.of("replacewhere", "partitionoverwritemode");

  private static final java.util.regex.Pattern TABLE_NAME =
      java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");
  private static final java.util.regex.Pattern PLACEHOLDER = java.util.regex.Pattern.compile("\\{[A-Za-z_][A-Za-z0-9_]*}");

  private DeltaStorageCheck() {}

  /** The run-date column of a valid Delta storage; problems go to {@code block}. */
  static Optional<String> runDateColumn(ConfigBlock block, StorageFormat format, Optional<String> location,
      List<String> partitionBy, Map<String, String> options, Optional<String> schema) {
    Optional<String> column = block.string(RUN_DATE_COLUMN).map(String::strip);
    if (format != StorageFormat.DELTA) {
      column.ifPresent(c -> block.problem(block.value(RUN_DATE_COLUMN).orElseThrow(), RUN_DATE_COLUMN,
          "run_date_column is for format delta only (a " + format.configName() + " dataset keeps one folder per"
              + " run date through {run_date} in its path); remove it"));
      return Optional.empty();
    }
    for (String key : options.keySet()) {
      if (STEPWISE_CHOOSES.contains(key.toLowerCase(Locale.ROOT))) {
        ConfigBlock optionsBlock = block.block("options").orElseThrow();
        optionsBlock.problemAtPath(optionsBlock.value(key).orElse(block.value("options").orElseThrow()), key,
            "Stepwise chooses " + key
            + " itself: a run replaces exactly its run date's partition (run_date_column), or the whole table when"
            + " the dataset has none; remove options." + key + " and set run_date_column = <a partition_by column>");
      }
    }
    Optional<StructType> declared = schema.filter(ddl -> !ddl.isBlank()).flatMap(DeltaStorageCheck::parsed);
    if (column.isPresent()) {
      String c = column.get();
      if (partitionBy.stream().noneMatch(p -> p.equalsIgnoreCase(c))) {
        block.problem(block.value(RUN_DATE_COLUMN).orElseThrow(), RUN_DATE_COLUMN, "run_date_column '" + c
            + "' is not a partition column: a run replaces its run date's partition, so list it in partition_by"
            + " (now " + partitionBy + "), e.g. partition_by = [" + c + "]");
      }
      if (location.map(l -> l.contains("{run_date}")).orElse(false)) {
        block.problem(block.value(RUN_DATE_COLUMN).orElseThrow(), RUN_DATE_COLUMN, "the path already holds"
            + " {run_date}, which makes one table per run date; keep one of the two: remove run_date_column, or"
            + " {run_date} from the path to keep every run date in one table");
      }
      declared.filter(s -> has(s, c)).ifPresent(s -> block.problem(block.value(RUN_DATE_COLUMN).orElseThrow(),
          RUN_DATE_COLUMN, "run_date_column '" + c + "' is also a column of the schema; Stepwise fills it with"
              + " the run date, so the data must not have it: choose another name"));
    }
    declared.ifPresent(s -> {
      for (String p : partitionBy) {
        if (column.map(c -> !c.equalsIgnoreCase(p)).orElse(true) && !has(s, p)) {
          block.problem(block.value("partition_by").orElseThrow(), "partition_by", "partition column '" + p
              + "' is not a column of the schema (" + String.join(", ", s.fieldNames()) + ")"
              + column.map(c -> "").orElse("; to partition by the run date, also set run_date_column = " + p));
        }
      }
    });
    return column;
  }

  /**
   * Whether a Delta storage block names its table one way: {@code path} (a table by path) or
   * {@code table} (a catalog table), not both, not neither; problems go to {@code block}.
   */
  static boolean oneLocation(ConfigBlock block) {
    boolean path = block.keys().contains("path");
    boolean table = block.keys().contains("table");
    if (path && table) {
      block.problem(block.value("table").orElseThrow(), "table", "format delta takes either 'path' (a Delta table"
          + " in a folder) or 'table' (a Delta table in the catalog, db.name), not both; remove one of them");
      return false;
    }
    if (!path && !table) {
      block.problem("format delta needs a place: path = \"<folder>\" for a Delta table in a folder, or"
          + " table = <db.name> for one in the catalog");
      return false;
    }
    return true;
  }

  /**
   * Whether {@code name} is a catalog table name Stepwise can use: {@code name} or {@code db.name},
   * each part letters, digits and '_' not starting with a digit; a placeholder ({@code {region}})
   * may stand for part of one, its value is checked when a run fills it in.
   */
  static boolean tableName(ConfigBlock block, String name) {
    String filled = PLACEHOLDER.matcher(name).replaceAll("x");
    if (TABLE_NAME.matcher(filled).matches()) {
      return true;
    }
    block.problem(block.value("table").orElseThrow(), "table", "'" + dev.stepwise.core.model.StorageRoot.printable(name)
        + "' is not a table name: write name or database.name, each part letters, digits and '_', not starting"
        + " with a digit (e.g. table = sales.daily_totals)");
    return false;
  }

  private static boolean has(StructType schema, String column) {
    for (String name : schema.fieldNames()) {
      if (name.equalsIgnoreCase(column)) {
        return true;
      }
    }
    return false;
  }

  private static Optional<StructType> parsed(String ddl) {
    try {
      return Optional.of(StructType.fromDDL(ddl));
    } catch (Exception e) {
      return Optional.empty(); // reported where the schema is read
    }
  }
}
