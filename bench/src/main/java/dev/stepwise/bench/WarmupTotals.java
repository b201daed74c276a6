package dev.stepwise.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;
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
    long jitCpuMillis = compilerThreadsCpuMillis();
    return String.format(Locale.ROOT, "\"warmup\": {\"jit_compile_seconds\": %s, \"jit_cpu_seconds\": %s,"
            + " \"spark_codegen_seconds\": %.3f,"
            + " \"spark_codegen_classes\": %d, \"gc_seconds\": %.3f, \"gc_collections\": %d, \"classes_loaded\": %d}",
        jitSeconds < 0 ? "null" : String.format(Locale.ROOT, "%.3f", jitSeconds),
        jitCpuMillis < 0 ? "null" : String.format(Locale.ROOT, "%.3f", jitCpuMillis / 1000.0), codegenMillis / 1000.0, compiles,
        gcMillis / 1000.0, gcCount, ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount());
  }

  /**
   * CPU time of HotSpot's C1/C2 compiler threads from Linux's per-thread accounting, as the run
   * report measures it (names truncated to 15 characters, times in 1/100 s); -1 where there is no
   * /proc.
   */
  private static long compilerThreadsCpuMillis() {
    Path tasks = Path.of("/proc/self/task");
    if (!Files.isDirectory(tasks)) {
      return -1;
    }
    long ticks = 0;
    try (Stream<Path> threads = Files.list(tasks)) {
      for (Path thread : threads.toList()) {
        try {
          String stat = Files.readString(thread.resolve("stat"));
          int close = stat.lastIndexOf(')');
          String name = stat.substring(stat.indexOf('(') + 1, close);
          if ((name.startsWith("C1 ") || name.startsWith("C2 ")) && name.contains("CompilerThre")) {
            String[] after = stat.substring(close + 2).trim().split("\\s+");
            ticks += Long.parseLong(after[11]) + Long.parseLong(after[12]);
          }
        } catch (IOException ended) {
          // the thread ended between listing and reading
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return ticks * 10;
  }
}
