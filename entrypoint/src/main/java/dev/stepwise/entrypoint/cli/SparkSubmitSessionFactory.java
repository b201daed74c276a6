package dev.stepwise.entrypoint.cli;

import dev.stepwise.core.config.Secrets;
import dev.stepwise.core.io.CatalogSettings;
import dev.stepwise.core.io.DeltaSessionSettings;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the session as spark-submit (or bin/stepwise) set it up: master and resources come from
 * the launcher; the task's settings from the grouping fill in what the launcher left unset. A local
 * master gets shuffle partitions sized to its cores unless someone chose them
 * ({@link LocalShufflePartitions}).
 */
final class SparkSubmitSessionFactory implements SessionFactory {
  private static final String DERBY_LOG = "derby.stream.error.file";
  private final boolean quiet;

  SparkSubmitSessionFactory(boolean quiet) {
    this.quiet = quiet;
  }

  @Override
  public SparkSession open(String appName, Map<String, String> settings) {
    SparkConf launcher = new SparkConf();
    // Spark's own implementation, named: SparkSession.builder() looks it up through Scala reflection,
    // about half a second of every task's start on a 2-core machine (bench, start-up table).
    org.apache.spark.sql.classic.SparkSession.Builder builder =
        org.apache.spark.sql.classic.SparkSession.builder().appName(appName);
    settings.forEach((key, value) -> {
      if (!launcher.contains(key)) {
        builder.config(key, value);
      }
    });
    // Extensions add up: Delta's, when the pipeline needs it, joins those spark-submit was given.
    if (launcher.contains(DeltaSessionSettings.EXTENSIONS)
        && DeltaSessionSettings.DELTA_EXTENSION.equals(lastExtension(settings.get(DeltaSessionSettings.EXTENSIONS)))) {
      builder.config(DeltaSessionSettings.EXTENSIONS,
          DeltaSessionSettings.withDeltaExtension(launcher.get(DeltaSessionSettings.EXTENSIONS)));
    }
    // Dates and timestamps must not change with the machine a task lands on.
    if (!launcher.contains("spark.sql.session.timeZone") && !settings.containsKey("spark.sql.session.timeZone")) {
      builder.config("spark.sql.session.timeZone", "UTC");
    }
    if (!launcher.contains(LocalShufflePartitions.KEY) && !settings.containsKey(LocalShufflePartitions.KEY)) {
      LocalShufflePartitions.forMaster(launcher.get("spark.master", ""), Runtime.getRuntime().availableProcessors())
          .ifPresent(partitions -> builder.config(LocalShufflePartitions.KEY, partitions));
    }
    // Delta rebuilds a table's state in 50 partitions unless told: on a local master, as many as its cores.
    if (settings.containsKey(DeltaSessionSettings.EXTENSIONS) && !launcher.contains(DeltaSessionSettings.SNAPSHOT_PARTITIONS)
        && !settings.containsKey(DeltaSessionSettings.SNAPSHOT_PARTITIONS)) {
      LocalShufflePartitions.forMaster(launcher.get("spark.master", ""), Runtime.getRuntime().availableProcessors())
          .ifPresent(partitions -> builder.config(DeltaSessionSettings.SNAPSHOT_PARTITIONS, partitions));
    }
    // Spark's UI and event log mask the same keys as Stepwise's own outputs (and whatever the launcher adds).
    builder.config(Secrets.SPARK_REDACTION_KEY, redactionRegex(launcher, settings));
    if (!launcher.contains("spark.ui.showConsoleProgress")) {
      builder.config("spark.ui.showConsoleProgress", "false");
    }
    if (!launcher.contains(CatalogSettings.METASTORE_URL)) {
      // Derby writes derby.log into the working directory unless told otherwise: keep it beside its database.
      CatalogSettings.derbyLog(settings).filter(log -> System.getProperty(DERBY_LOG) == null)
          .ifPresent(log -> {
            try {
              java.nio.file.Files.createDirectories(log.getParent());
              System.setProperty(DERBY_LOG, log.toString());
            } catch (java.io.IOException e) {
              // Derby then logs into the working directory, as it does by default.
            }
          });
    }
    SparkSession session = builder.getOrCreate();
    if (quiet) {
      session.sparkContext().setLogLevel("WARN");
      // A metastore that cannot be opened makes Hive and DataNucleus log page after page of stack
      // traces; Stepwise says in one line what failed (--verbose shows them all).
      org.apache.logging.log4j.core.config.Configurator.setLevel("DataNucleus", org.apache.logging.log4j.Level.OFF);
      org.apache.logging.log4j.core.config.Configurator.setLevel("org.apache.hadoop.hive",
          org.apache.logging.log4j.Level.OFF);
    }
    return session;
  }

  private static String lastExtension(String extensions) {
    if (extensions == null) {
      return "";
    }
    String[] listed = extensions.split(",");
    return listed[listed.length - 1].strip();
  }

  /** Stepwise's redaction rule, joined with the one spark-submit or the grouping gave, if any. */
  static String redactionRegex(SparkConf launcher, Map<String, String> taskSettings) {
    return Secrets.sparkRedactionRegex(launcher.get(Secrets.SPARK_REDACTION_KEY, taskSettings.getOrDefault(Secrets.SPARK_REDACTION_KEY, "")));
  }

  @Override
  public void close(SparkSession session) {
    session.stop();
  }
}
