package dev.stepwise.core.io;

import dev.stepwise.core.model.DatasetSpec;
import dev.stepwise.core.model.PipelineConfig;
import dev.stepwise.core.model.StorageFormat;
import dev.stepwise.core.model.StorageRoot;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The Spark session settings a pipeline's {@code format = table} datasets need so that a table one
 * task writes is known to the next task's JVM: Spark's Hive catalog, with an embedded Derby
 * metastore and the warehouse in {@code <storage_root>/_catalog/}. Settings the grouping or the
 * launcher give win over these (see {@link #withTaskSettings}), which is how a shared metastore
 * ({@code spark.hadoop.hive.metastore.uris}) replaces the embedded one.
 */
public final class CatalogSettings {
  public static final String CATALOG_IMPLEMENTATION = "spark.sql.catalogImplementation";
  public static final String WAREHOUSE_DIR = "spark.sql.warehouse.dir";
  public static final String METASTORE_URL = "spark.hadoop.javax.jdo.option.ConnectionURL";
  public static final String METASTORE_URIS = "spark.hadoop.hive.metastore.uris";
  static final String METASTORE_RETRIES = "spark.hadoop.hive.hmshandler.retry.attempts";
  /** The folder below the storage root that holds the embedded metastore and the warehouse. */
  public static final String CATALOG_FOLDER = "_catalog";

  private CatalogSettings() {}

  /**
   * Whether any dataset of the pipeline (or its intermediate storage) is a catalog table: a
   * {@code table}, or a Delta table named by {@code table = db.name}.
   */
  public static boolean usesTables(PipelineConfig pipeline) {
    boolean intermediate = pipeline.intermediate().map(CatalogSettings::namesTable).orElse(false);
    return intermediate || pipeline.datasets().values().stream()
        .map(DatasetSpec::storage).flatMap(Optional::stream).anyMatch(CatalogSettings::namesTable);
  }

  private static boolean namesTable(dev.stepwise.core.model.StorageSpec storage) {
    return storage.format() == StorageFormat.TABLE || storage.table().isPresent();
  }

  /**
   * The settings for {@code pipeline}: none unless it uses tables. With a local storage root, the
   * Derby metastore and the warehouse go below it; with a root on another file system (HDFS, an
   * object store) only the warehouse does, since embedded Derby needs a local disk: such a setup
   * wants a shared metastore, and without one Spark's default (a {@code metastore_db} in the
   * working directory) applies. Without a storage root, Spark's defaults apply too.
   */
  public static Map<String, String> forPipeline(PipelineConfig pipeline) {
    if (!usesTables(pipeline)) {
      return Map.of();
    }
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(CATALOG_IMPLEMENTATION, "hive");
    pipeline.storageRoot().map(StorageRoot::normalized).ifPresent(root -> {
      settings.put(WAREHOUSE_DIR, child(root, "warehouse").toString());
      localFolder(root).ifPresent(local -> {
        settings.put(METASTORE_URL,
            "jdbc:derby:;databaseName=" + local.resolve(CATALOG_FOLDER).resolve("metastore_db") + ";create=true");
        // An embedded metastore held by another process stays held for that whole run: Hive's ten
        // retries two seconds apart only delay the failure and flood the log.
        settings.put(METASTORE_RETRIES, "1");
      });
    });
    return settings;
  }

  /**
   * The catalog settings, overridden by the task's own (the grouping's {@code spark} block): a task
   * that names a shared metastore gets no embedded-Derby URL.
   */
  public static Map<String, String> withTaskSettings(Map<String, String> catalog, Map<String, String> task) {
    Map<String, String> merged = new LinkedHashMap<>(catalog);
    if (task.containsKey(METASTORE_URIS)) {
      merged.remove(METASTORE_URL);
      merged.remove(METASTORE_RETRIES);
    }
    merged.putAll(task);
    return merged;
  }

  /** Where embedded Derby writes its log: beside its database, not into the working directory. */
  public static Optional<Path> derbyLog(Map<String, String> settings) {
    String url = settings.get(METASTORE_URL);
    String prefix = "jdbc:derby:;databaseName=";
    if (url == null || !url.startsWith(prefix)) {
      return Optional.empty();
    }
    String database = url.substring(prefix.length()).split(";", 2)[0];
    return Optional.of(Path.of(database).resolveSibling("derby.log"));
  }

  private static URI child(URI root, String name) {
    return URI.create(root + "/" + CATALOG_FOLDER + "/" + name);
  }

  private static Optional<Path> localFolder(URI root) {
    return root.getScheme() == null || root.getScheme().equals("file") ? Optional.of(Path.of(root.getPath()))
        : Optional.empty();
  }
}
