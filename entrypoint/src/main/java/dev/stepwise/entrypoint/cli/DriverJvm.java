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
 * <p>The JDK is taken to be 24 or later (JDK 25 is the one measured): with a cache its options hold
 * {@code -XX:AOTCache}, which JDK 17 refuses to start with. Spark's launcher adds what Spark itself needs on
 * that JDK ({@code --enable-native-access}, {@code --sun-misc-unsafe-memory-access}), so they are not here.
 *
 * @param javaHome the JDK's directory, spark-submit's {@code JAVA_HOME} when present
 * @param javaOptions added to each task's driver options on that JDK
 * @param fallbackJavaOptions added instead when it is absent (a JDK 17 class-data archive, or nothing)
 */
record DriverJvm(String javaHome, String javaOptions, String fallbackJavaOptions) {
  /**
   * @throws UsageException for a JDK path that is not absolute, or a cache or archive path the driver would
   *     read wrongly
   */
  static DriverJvm of(String javaHome, Optional<String> aotCache, Optional<String> fallbackClassArchive) {
    if (!javaHome.startsWith("/") || javaHome.chars().anyMatch(c -> c == '\n' || c == '\r')) {
      throw new UsageException("--java-home needs the absolute path of a JDK (24 or later) on the machines that"
          + " run spark-submit, got '" + javaHome + "'");
    }
    String options = aotCache.map(DriverClassArchive::aotJavaOptions).orElse("");
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
