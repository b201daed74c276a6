package dev.stepwise.core.io;

import dev.stepwise.core.config.Reasons;
import dev.stepwise.core.model.StorageRoot;
import dev.stepwise.core.model.StorageSpec;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Delta datasets named by a catalog table ({@code table = db.name}): where the table's folder is,
 * and the commit that creates a table the catalog does not have yet. Everything else (locks,
 * staging, the schema check, the commit of a run date, history) works on the folder, exactly as
 * for a Delta table by path: the catalog only names the folder.
 *
 * <p>A table Stepwise creates is a managed table of Spark's session catalog (wrapped by Delta's
 * DeltaCatalog), in its database's folder: with Stepwise's own catalog that is
 * {@code <storage_root>/_catalog/warehouse/<db>.db/<name>}. Its folder, like any path, must stay
 * below the dataset's root.
 */
final class CatalogDeltaTables {
  private CatalogDeltaTables() {}

  /**
   * The storage at the folder of its catalog table: the table's location when the catalog has it,
   * else the folder the catalog gives a new managed table of that name.
   *
   * @throws DeltaTableException when the catalog's table is not a Delta table, or its folder is
   *     outside the dataset's root
   */
  static StorageSpec locate(SparkSession spark, StorageSpec storage, String dataset) {
    String name = storage.table().orElseThrow();
    Optional<Map<String, String>> entry = describe(spark, name, dataset);
    String folder;
    if (entry.isPresent()) {
      String provider = entry.get().getOrDefault("provider", "");
      String type = entry.get().getOrDefault("type", "");
      if (type.equalsIgnoreCase("VIEW") || !provider.equalsIgnoreCase("delta")) {
        throw notDelta(dataset, name, type.equalsIgnoreCase("VIEW") ? "a view"
            : "a " + (provider.isEmpty() ? "non-Delta" : provider) + " table");
      }
      folder = entry.get().get("location");
      if (folder == null) {
        throw new DeltaTableException(dataset, "catalog table " + name, "the catalog gives the table no location;"
            + " nothing was read from or committed to it");
      }
    } else {
      folder = managedFolder(spark, name);
    }
    storage.root().filter(root -> !root.contains(folder)).ifPresent(root -> {
      throw new DeltaTableException(dataset, "catalog table " + name + " (folder " + StorageRoot.printable(folder) + ")",
          "that folder is not below the dataset's storage root " + root.describe() + ", so nothing is read from or"
              + " committed to it. Point spark.sql.warehouse.dir (or the database's location) below the root, or"
              + " declare root = \"...\" on the dataset for a table that lives elsewhere");
    });
    return storage.locatedAt(folder);
  }

  /** Whether the catalog has the named table now. */
  static boolean exists(SparkSession spark, String name) {
    return spark.catalog().tableExists(name);
  }

  /**
   * Creates the catalog table with the rows as its first version, in one Delta commit labelled with
   * {@code userMetadata}; the table's database is created first when it is missing.
   */
  static void create(SparkSession spark, DataFrameWriter<Row> writer, StorageSpec storage, String userMetadata) {
    String name = storage.table().orElseThrow();
    List<String> parts = Arrays.asList(name.split("\\."));
    if (parts.size() == 2) {
      spark.sql("CREATE DATABASE IF NOT EXISTS " + quoted(parts.get(0)));
    }
    // Delta takes a CREATE's user metadata from the session; a path write's from the writer's option.
    String previous = spark.conf().getOption(DeltaHistory.COMMIT_METADATA).getOrElse(() -> null);
    spark.conf().set(DeltaHistory.COMMIT_METADATA, userMetadata);
    try {
      writer.saveAsTable(parts.stream().map(CatalogDeltaTables::quoted).collect(Collectors.joining(".")));
    } finally {
      if (previous == null) {
        spark.conf().unset(DeltaHistory.COMMIT_METADATA);
      } else {
        spark.conf().set(DeltaHistory.COMMIT_METADATA, previous);
      }
    }
  }

  /** The folder Spark's session catalog gives a new managed table: its database's, lower-cased name below. */
  private static String managedFolder(SparkSession spark, String name) {
    List<String> parts = Arrays.asList(name.split("\\."));
    String database = parts.size() == 2 ? parts.get(0) : spark.catalog().currentDatabase();
    String table = parts.get(parts.size() - 1).toLowerCase(Locale.ROOT);
    String databaseFolder;
    try {
      databaseFolder = spark.catalog().databaseExists(database)
          ? spark.catalog().getDatabase(database).locationUri()
          : stripSlash(spark.conf().get("spark.sql.warehouse.dir")) + "/" + database.toLowerCase(Locale.ROOT) + ".db";
    } catch (org.apache.spark.sql.AnalysisException e) {
      throw new IllegalStateException("the catalog cannot tell the folder of database " + database + ": "
          + Reasons.of(e), e);
    }
    return stripSlash(databaseFolder) + "/" + table;
  }

  /** The table's catalog entry (provider, type, location; keys lower-cased), or empty when there is none. */
  private static Optional<Map<String, String>> describe(SparkSession spark, String name, String dataset) {
    try {
      if (!exists(spark, name)) {
        return Optional.empty();
      }
      Map<String, String> entry = new LinkedHashMap<>();
      boolean details = false; // the columns come first: one named 'location' is not the table's
      for (Row row : spark.sql("DESCRIBE TABLE EXTENDED " + Arrays.stream(name.split("\\."))
          .map(CatalogDeltaTables::quoted).collect(Collectors.joining("."))).collectAsList()) {
        String key = row.isNullAt(0) ? "" : row.getString(0).strip();
        details |= key.startsWith("# Detailed Table Information");
        if (details && !row.isNullAt(1)) {
          entry.putIfAbsent(key.toLowerCase(Locale.ROOT), row.getString(1).strip());
        }
      }
      return Optional.of(entry);
    } catch (RuntimeException e) {
      throw new DeltaTableException(dataset, "catalog table " + name, "the catalog cannot describe it: "
          + Reasons.of(e) + "; nothing was read from or committed to it", e);
    }
  }

  private static DeltaTableException notDelta(String dataset, String name, String what) {
    return new DeltaTableException(dataset, "catalog table " + name, "the catalog's " + name + " is " + what
        + ", not a Delta table, so nothing is read from or committed to it. Convert it (CONVERT TO DELTA " + name
        + ", for a parquet table), drop it if it is not needed, or name another table in the dataset's 'table'");
  }

  private static String quoted(String part) {
    return "`" + part.replace("`", "``") + "`";
  }

  private static String stripSlash(String folder) {
    return folder.endsWith("/") ? folder.substring(0, folder.length() - 1) : folder;
  }
}
