package dev.stepwise.core.io;

import dev.stepwise.core.model.PipelineConfig;
import java.util.Map;

/**
 * The settings a pipeline's SparkSession starts with: the task's own, plus what the pipeline's
 * storage needs and a user should not have to know: a catalog that outlives the JVM for tables,
 * Delta Lake's extension and catalog for Delta datasets.
 */
public final class SessionSettings {
  private SessionSettings() {}

  public static Map<String, String> of(PipelineConfig pipeline, Map<String, String> task) {
    return DeltaSessionSettings.forPipeline(pipeline,
        CatalogSettings.withTaskSettings(CatalogSettings.forPipeline(pipeline), task));
  }
}
