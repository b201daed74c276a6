package dev.stepwise.entrypoint.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The JVM the drivers start on, as the manifest's {@code driver_jvm} names it: a newer JDK where it is present
 * on the machine that runs spark-submit, with its own options, else spark-submit's own JVM with the fallback
 * options. The choice is made when each task starts (airflow-dags/stepwise_dags.py), as the JDK may be on some
 * workers and not on others; the manifest is written where neither may be.
 *
 * <p>The JDK is taken to be 24 or later (JDK 25 is the one measured): its options include the ones that quiet
 * Spark's warnings there and, with a cache, {@code -XX:AOTCache}, all of which JDK 17 refuses to start with.
 *
 * @param javaHome the JDK's directory, spark-submit's {@code JAVA_HOME} when present
 * @param javaOptions added to each task's driver options on that JDK
 * @param fallbackJavaOptions added instead when it is absent (a JDK 17 class-data archive, or nothing)
 */
record DriverJvm(String javaHome, String javaOptions, String fallbackJavaOptions) {
  /** Spark on JDK 24 and later warns on Hadoop's native library loads and its own sun.misc.Unsafe use without these. */
  static final String NEWER_JDK_OPTIONS = "--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow";

  /**
   * @throws UsageException for a JDK path that is not absolute, or a cache or archive path the driver would
   *     read wrongly
   */
  static DriverJvm of(String javaHome, Optional<String> aotCache, Optional<String> fallbackClassArchive) {
    if (!javaHome.startsWith("/") || javaHome.chars().anyMatch(c -> c == '\n' || c == '\r')) {
      throw new UsageException("--java-home needs the absolute path of a JDK (24 or later) on the machines that"
          + " run spark-submit, got '" + javaHome + "'");
    }
    String options = NEWER_JDK_OPTIONS + aotCache.map(cache -> " " + DriverClassArchive.aotJavaOptions(cache)).orElse("");
    return new DriverJvm(javaHome, options, fallbackClassArchive.map(DriverClassArchive::javaOptions).orElse(""));
  }

  Map<String, Object> json() {
    Map<String, Object> block = new LinkedHashMap<>();
    block.put("java_home", javaHome);
    block.put("java_options", javaOptions);
    block.put("fallback_java_options", fallbackJavaOptions);
    return block;
  }
}
