package dev.stepwise.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import org.apache.spark.metrics.source.CodegenMetrics;

/**
 * The monolith's JVM warm-up from its start, in the fields and units of a run report's
 * {@code warmup} object, so bin/bench sets the floor's warm-up beside each grouping's. Spark's
 * compilation-time histogram holds whole milliseconds per compilation; summed while it holds every
 * sample, estimated from its mean after.
 */
final class WarmupTotals {
  private WarmupTotals() {}

  /** JSON members (no braces) to append to the monolith's timings object. */
  static String jsonMembers() {
    var jit = ManagementFactory.getCompilationMXBean();
    double jitSeconds = jit != null && jit.isCompilationTimeMonitoringSupported()
        ? jit.getTotalCompilationTime() / 1000.0 : -1;
    long gcCount = 0;
    long gcMillis = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      gcCount += Math.max(0, gc.getCollectionCount());
      gcMillis += Math.max(0, gc.getCollectionTime());
    }
    var compileTimes = CodegenMetrics.METRIC_COMPILATION_TIME();
    long compiles = compileTimes.getCount();
    long[] samples = compileTimes.getSnapshot().getValues();
    double codegenMillis = samples.length == compiles ? Arrays.stream(samples).sum()
        : compileTimes.getSnapshot().getMean() * compiles;
    return String.format(Locale.ROOT, "\"warmup\": {\"jit_compile_seconds\": %s, \"spark_codegen_seconds\": %.3f,"
            + " \"spark_codegen_classes\": %d, \"gc_seconds\": %.3f, \"gc_collections\": %d, \"classes_loaded\": %d}",
        jitSeconds < 0 ? "null" : String.format(Locale.ROOT, "%.3f", jitSeconds), codegenMillis / 1000.0, compiles,
        gcMillis / 1000.0, gcCount, ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount());
  }
}
