package dev.stepwise.testing;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.ExtensionContext;

/** A local SparkSession for tests, stopped when JUnit closes the root store that holds it. */
final class TestSparkSession implements ExtensionContext.Store.CloseableResource {
  private final SparkSession session;

  private TestSparkSession(SparkSession session) {
    this.session = session;
  }

  static TestSparkSession start() {
    SparkSession session = SparkSession.builder()
        .appName("stepwise-tests")
        .master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate();
    session.sparkContext().setLogLevel("WARN");
    // The first job pays for code generation and class loading; pay it here, not in a test.
    session.range(1).count();
    return new TestSparkSession(session);
  }

  SparkSession session() {
    return session;
  }

  @Override
  public void close() {
    session.stop();
  }
}
