package dev.stepwise.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

@SparkTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SparkSessionExtensionTest {
  private static Path firstTestDir;
  private static SparkSession firstSession;

  private final SparkSession spark;
  private final Path dir;

  SparkSessionExtensionTest(SparkSession spark, @TestDir Path dir) {
    this.spark = spark;
    this.dir = dir;
  }

  @Test
  @Order(1)
  void constructorAndMethodShareTheSessionAndTheTestsDirectory(SparkSession session, @TestDir Path methodDir)
      throws IOException {
    assertSame(spark, session);
    assertEquals(dir, methodDir);
    assertTrue(Files.isDirectory(dir));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(0, files.count(), "a test directory starts empty");
    }
    Files.writeString(dir.resolve("left-behind.txt"), "the next test must not see this");
    firstTestDir = dir;
    firstSession = spark;
  }

  @Test
  @Order(2)
  void aSettingChangedByATestIsPutBackAfterIt() {
    spark.conf().set("spark.sql.shuffle.partitions", "7");
    spark.conf().set("stepwise.test.only", "set by a test");
    assertEquals("7", spark.conf().get("spark.sql.shuffle.partitions"));
  }

  @Test
  @Order(3)
  void everyTestGetsAFreshDirectoryTheSameSessionAndTheBaselineSettings() {
    assertSame(firstSession, spark, "one session for the JVM");
    assertNotEquals(firstTestDir, dir);
    assertFalse(Files.exists(firstTestDir), "the previous test's directory is deleted: " + firstTestDir);
    assertEquals("2", spark.conf().get("spark.sql.shuffle.partitions"));
    assertFalse(spark.conf().contains("stepwise.test.only"));
  }

  @Test
  void theSessionIsLocalSmallQuietAndUtc() {
    assertEquals("local[2]", spark.sparkContext().master());
    assertEquals("false", spark.conf().get("spark.ui.enabled"));
    assertEquals("UTC", spark.conf().get("spark.sql.session.timeZone"));
    assertEquals("2", spark.conf().get("spark.sql.shuffle.partitions"));
    String warehouse = spark.conf().get("spark.sql.warehouse.dir");
    assertTrue(warehouse.contains("stepwise-spark-"), "tables go to the session's own warehouse, not ./spark-warehouse: "
        + warehouse);
  }
}
