package dev.stepwise.entrypoint.cli;

import java.util.Map;

/**
 * A JVM class-data archive (JDK 17) or ahead-of-time cache (JDK 24 and later) for the drivers spark-submit
 * starts, named in the manifest. Without one, every task's driver loads and verifies Spark's classes again:
 * 4 to 7 s of a 500-event task under spark-submit on a 2-core machine ({@code bin/bench}, "Under a real
 * scheduler"). It is recorded where the drivers start ({@code bin/stepwise record-archive}); the JVM skips
 * one that is missing, made by another JDK or for other Spark jars, so a stale archive costs the saving,
 * never the run.
 */
final class DriverClassArchive {
  static final String DRIVER_JAVA_OPTIONS = "spark.driver.extraJavaOptions";

  private DriverClassArchive() {
  }

  /**
   * The options of a JDK 17 class-data archive.
   *
   * @throws UsageException for a path spark-submit would split or the driver could resolve elsewhere
   */
  static String javaOptions(String path) {
    checked("--class-archive", path);
    // -Xshare:auto: without a usable archive the JVM runs as before; logging off keeps its reason out of task logs.
    return "-XX:SharedArchiveFile=" + path + " -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off";
  }

  /**
   * The options of an ahead-of-time cache, which only JDK 24 and later know (JDK 17 refuses to start with them).
   *
   * @throws UsageException as {@link #javaOptions}
   */
  static String aotJavaOptions(String path) {
    checked("--aot-cache", path);
    // Without a usable cache the JVM runs as before (AOTMode auto); logging off keeps its reason out of task logs.
    return "-XX:AOTCache=" + path + " -Xlog:aot*=off,cds*=off";
  }

  private static void checked(String option, String path) {
    // Spark's launcher splits extraJavaOptions on white space; quotes would have to survive Airflow too.
    if (!path.startsWith("/") || path.chars().anyMatch(c -> Character.isWhitespace(c) || c == '"' || c == '\'')) {
      throw new UsageException(option + " needs an absolute path without spaces or quotes, got '" + path
          + "': the driver's JVM reads it from spark.driver.extraJavaOptions, wherever spark-submit starts");
    }
  }

  /** Adds the archive's options after the task's own driver options, which stay as the task set them. */
  static void addTo(Map<String, String> sparkConf, String path) {
    sparkConf.merge(DRIVER_JAVA_OPTIONS, javaOptions(path), (own, archive) -> own + " " + archive);
  }
}
