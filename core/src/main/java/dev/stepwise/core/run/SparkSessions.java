package dev.stepwise.core.run;

import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The one owner of the SparkSession a run uses: {@link PipelineRunner} asks it for a session when the
 * first task is about to run (never earlier: bad config and missing inputs must fail before Spark
 * starts), for each further task's settings, and hands the session back at the end.
 */
public interface SparkSessions {

  /**
   * @param settings the first task's Spark settings; settings given explicitly to spark-submit win
   */
  SparkSession open(String appName, Map<String, String> settings);

  /**
   * Applies the settings Spark can change in a running session (spark.sql.*, but not the static
   * ones such as spark.sql.extensions, fixed when the session started) for the next task.
   */
  default void switchTask(SparkSession session, Map<String, String> settings) {
    settings.forEach((key, value) -> {
      if (key.startsWith("spark.sql.") && session.conf().isModifiable(key)) {
        session.conf().set(key, value);
      }
    });
  }

  void close(SparkSession session);
}
