package dev.stepwise.entrypoint;

import dev.stepwise.core.io.CatalogSettings;
import dev.stepwise.core.model.PipelineConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The session settings of the commands that read and restore Delta tables (history, rollback):
 * Delta's SQL extension and catalog, plus the pipeline's catalog settings. Delta's catalog wraps
 * whichever session catalog is configured, Hive's included, so the two coexist.
 */
final class DeltaSessionSettings {
  static final Map<String, String> DELTA = Map.of(
      "spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension",
      "spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");

  private DeltaSessionSettings() {}

  static Map<String, String> forPipeline(PipelineConfig pipeline, Map<String, String> taskSettings) {
    Map<String, String> settings = new LinkedHashMap<>(DELTA);
    settings.putAll(CatalogSettings.withTaskSettings(CatalogSettings.forPipeline(pipeline), taskSettings));
    return settings;
  }
}
