package dev.stepwise.core.io;

import dev.stepwise.core.model.DatasetSpec;
import dev.stepwise.core.model.Expectation;
import dev.stepwise.core.model.PipelineConfig;
import dev.stepwise.core.model.StorageFormat;
import dev.stepwise.core.model.StorageSpec;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The Spark settings a pipeline with Delta datasets needs, applied by whoever builds its session
 * (the entry point's session factory, the test fixtures' session), never left to the user. Both are
 * static settings: they must be in place before the session starts.
 */
public final class DeltaSessionSettings {
  public static final String EXTENSIONS = "spark.sql.extensions";
  public static final String CATALOG = "spark.sql.catalog.spark_catalog";
  public static final String DELTA_EXTENSION = "io.delta.sql.DeltaSparkSessionExtension";
  public static final String DELTA_CATALOG = "org.apache.spark.sql.delta.catalog.DeltaCatalog";
  /** How many partitions Delta rebuilds a table's state in (50 unless set). */
  public static final String SNAPSHOT_PARTITIONS = "spark.databricks.delta.snapshotPartitions";

  private DeltaSessionSettings() {}

  /** Whether any dataset of the pipeline (its own storage, the intermediate one, a quarantine) is Delta. */
  public static boolean needed(PipelineConfig pipeline) {
    Stream<StorageSpec> storages = Stream.concat(pipeline.intermediate().stream(),
        pipeline.datasets().values().stream().flatMap(DeltaSessionSettings::storages));
    return storages.anyMatch(s -> s.format() == StorageFormat.DELTA);
  }

  private static Stream<StorageSpec> storages(DatasetSpec dataset) {
    return Stream.concat(dataset.storage().stream(),
        dataset.expectations().stream().map(Expectation::quarantine).flatMap(Optional::stream));
  }

  /**
   * The settings to start a session of {@code pipeline} with: {@code settings} as they are, plus
   * Delta's extension (added to any others listed) and catalog when the pipeline has Delta datasets.
   * A catalog the settings already choose is kept: path-based Delta datasets work with any.
   */
  public static Map<String, String> forPipeline(PipelineConfig pipeline, Map<String, String> settings) {
    if (!needed(pipeline)) {
      return settings;
    }
    Map<String, String> result = new LinkedHashMap<>(settings);
    result.put(EXTENSIONS, withDeltaExtension(settings.get(EXTENSIONS)));
    result.putIfAbsent(CATALOG, DELTA_CATALOG);
    return result;
  }

  /** Delta's settings alone, for a session built before any pipeline is known. */
  public static Map<String, String> forDelta() {
    return Map.of(EXTENSIONS, DELTA_EXTENSION, CATALOG, DELTA_CATALOG);
  }

  /** A {@code spark.sql.extensions} value that lists Delta's extension once, after any others. */
  public static String withDeltaExtension(String extensions) {
    if (extensions == null || extensions.isBlank()) {
      return DELTA_EXTENSION;
    }
    boolean listed = Arrays.stream(extensions.split(",")).map(String::strip).anyMatch(DELTA_EXTENSION::equals);
    return listed ? extensions : Arrays.stream(extensions.split(",")).map(String::strip).filter(e -> !e.isEmpty())
        .collect(Collectors.joining(",")) + "," + DELTA_EXTENSION;
  }

  /** Whether Delta's classes are there to be used (test sessions built before any config is known). */
  public static boolean available(ClassLoader loader) {
    try {
      Class.forName(DELTA_EXTENSION, false, loader);
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
