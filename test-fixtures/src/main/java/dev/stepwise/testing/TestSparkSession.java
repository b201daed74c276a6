package dev.stepwise.testing;

import dev.stepwise.core.io.DeltaSessionSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.RuntimeConfig;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.ExtensionContext;
import scala.jdk.javaapi.CollectionConverters;

/**
 * A local SparkSession for tests, stopped when JUnit closes the root store that holds it.
 *
 * <p>Tuned for small data: two cores, two shuffle partitions, no UI, no adaptive re-planning,
 * UTC, loopback only; Delta's extension and catalog when Delta is on the class path. Tables go to
 * a warehouse of its own, removed at the end, so no test leaves a {@code spark-warehouse} folder in
 * the project. The runtime settings it starts with are the baseline every test gets back after it ran.
 */
final class TestSparkSession implements ExtensionContext.Store.CloseableResource, AutoCloseable {
  private final SparkSession session;
  private final Path scratch;
  private final Map<String, String> baseline;

  private TestSparkSession(SparkSession session, Path scratch) {
    this.session = session;
    this.scratch = scratch;
    this.baseline = settings(session.conf());
  }

  static TestSparkSession start() {
    Path scratch;
    try {
      scratch = Files.createTempDirectory("stepwise-spark-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the test SparkSession's scratch directory under "
          + System.getProperty("java.io.tmpdir"), e);
    }
    // Spark's own implementation, named: SparkSession.builder() would look it up through Scala reflection.
    org.apache.spark.sql.classic.SparkSession.Builder builder = org.apache.spark.sql.classic.SparkSession.builder();
    // Static settings, fixed before any test's config is known: Delta's, whenever Delta is on the class path.
    if (DeltaSessionSettings.available(TestSparkSession.class.getClassLoader())) {
      DeltaSessionSettings.forDelta().forEach(builder::config);
      builder.config(DeltaSessionSettings.SNAPSHOT_PARTITIONS, "2");
    }
    SparkSession session = builder
        .appName("stepwise-tests")
        .master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.sql.warehouse.dir", scratch.resolve("warehouse").toUri().toString())
        .config("spark.local.dir", scratch.resolve("local").toString())
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        // Applied as the SparkContext starts, so its own start-up INFO lines are quiet too.
        .config("spark.log.level", "WARN")
        .getOrCreate();
    // The first job pays for code generation and class loading; pay it here, not in a test.
    session.range(1).count();
    return new TestSparkSession(session, scratch);
  }

  SparkSession session() {
    return session;
  }

  /**
   * Puts back every runtime setting a test changed, added or removed. Only settings a test could
   * change differ from the baseline, so each of them can be changed back.
   */
  void restoreSettings() {
    RuntimeConfig conf = session.conf();
    Map<String, String> now = settings(conf);
    now.keySet().stream().filter(key -> !baseline.containsKey(key)).forEach(conf::unset);
    baseline.forEach((key, value) -> {
      if (!value.equals(now.get(key))) {
        conf.set(key, value);
      }
    });
  }

  private static Map<String, String> settings(RuntimeConfig conf) {
    return new HashMap<>(CollectionConverters.asJava(conf.getAll()));
  }

  @Override
  public void close() throws IOException {
    session.stop();
    TestDirectory.deleteRecursively(scratch);
  }
}
