package dev.stepwise.entrypoint.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.testing.SparkTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** Readings of the JVM's warm-up around real Spark queries in the shared test session. */
@SparkTest
class JvmWarmupTest {
  private final SparkSession spark;

  JvmWarmupTest(SparkSession spark) {
    this.spark = spark;
  }

  /**
   * Each query carries a literal no earlier query used, so whole-stage code generation compiles a
   * class for it (Spark's cache holds compiled code by its source text).
   */
  @Test
  void queriesNeverSeenBeforeCompileCodeAndEveryCounterOnlyGrows() {
    List<JvmWarmup> readings = new ArrayList<>();
    readings.add(JvmWarmup.now());
    long seed = ThreadLocalRandom.current().nextLong(1_000_000_000L, 2_000_000_000L);
    for (int i = 0; i < 5; i++) {
      long literal = seed + i;
      long sum = spark.range(0, 100, 1, 1).selectExpr("id * " + literal + " + " + i + " as v")
          .filter("id % 7 != 3").groupBy().sum("v").first().getLong(0);
      assertTrue(sum != 0, "the query ran");
      readings.add(JvmWarmup.now());
    }
    for (int i = 1; i < readings.size(); i++) {
      JvmWarmup delta = readings.get(i).since(readings.get(i - 1));
      assertTrue(delta.codegenCompiles() >= 1, "query " + i + " compiled generated code: " + delta);
      assertTrue(delta.codegenMillis() >= 0, delta.toString());
      assertTrue(delta.codegenSourceChars() != 0, delta.toString());
      delta.jitMillis().ifPresent(jit -> assertTrue(jit >= 0, "JIT time never goes back: " + delta));
      delta.jitCpuMillis().ifPresent(jit -> assertTrue(jit >= 0, delta.toString()));
      assertTrue(delta.gcMillis() >= 0 && delta.gcCollections() >= 0, delta.toString());
      assertTrue(delta.classesLoaded() >= 0 && delta.classesUnloaded() >= 0, delta.toString());
      assertTrue(delta.overheadSeconds() >= 0, delta.toString());
    }
    JvmWarmup whole = readings.get(readings.size() - 1).since(readings.get(0));
    assertTrue(whole.codegenCompiles() >= 5, whole.toString());
    // Five new queries make the JIT compile something; Linux then shows its threads' CPU time.
    assertTrue(whole.jitMillis().orElse(1) > 0, whole.toString());
    if (java.nio.file.Files.isDirectory(java.nio.file.Path.of("/proc/self/task"))) {
      assertTrue(whole.jitCpuMillis().isPresent(), whole.toString());
    }
  }

  @Test
  void theReadingSinceTheJvmStartIsTheReadingItself() {
    JvmWarmup now = JvmWarmup.now();
    JvmWarmup sinceStart = now.since(JvmWarmup.atJvmStart());
    assertEquals(now.codegenCompiles(), sinceStart.codegenCompiles());
    assertEquals(now.classesLoaded(), sinceStart.classesLoaded());
    assertEquals(now.jitMillis(), sinceStart.jitMillis());
    assertEquals(now.jitCpuMillis(), sinceStart.jitCpuMillis());
    assertTrue(now.classesLoaded() > 1000, "a JVM running Spark has loaded thousands of classes: " + now);
  }
}
