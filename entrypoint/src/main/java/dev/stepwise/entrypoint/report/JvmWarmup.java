package dev.stepwise.entrypoint.report;

import com.codahale.metrics.Histogram;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.OptionalLong;
import org.apache.spark.metrics.source.CodegenMetrics;

/**
 * What this JVM has spent on warming up so far: counters that only grow from the JVM's start, read
 * from the JVM's management beans and Spark's code-generation metrics. Two readings taken around a
 * task give what that task paid ({@link #since}).
 *
 * <p>Class-loading <em>time</em> is not here: HotSpot keeps it only in internal performance counters
 * ({@code sun.cls.time}) that no supported API exposes, so the report gives class counts only.
 * Spark's code generation is seen where it happens in this JVM: the driver, and the executors of a
 * {@code local} master; a cluster's executors compile in their own JVMs, out of this reading.
 *
 * @param jitMillis the JIT compilers' total time as the JVM counts it: the elapsed time of each
 *     compilation summed over the compiler threads, so it grows while a busy machine keeps them off
 *     a core and can exceed the wall time; empty when the JVM does not measure it
 * @param jitCpuMillis CPU time of the compiler threads ({@link CompilerThreadsCpu}), empty where
 *     the operating system does not show it
 * @param codegenCompiles Janino compilations of Spark's generated code (cache misses only)
 * @param codegenMillis their time, summed from Spark's histogram; exact while it holds every
 *     sample ({@code codegenExact}), estimated from its mean once it keeps only a sample
 * @param gcMillis time of all collectors (collection time as each bean reports it)
 */
public record JvmWarmup(OptionalLong jitMillis, OptionalLong jitCpuMillis, long codegenCompiles, double codegenMillis, boolean codegenExact,
    long codegenSourceChars, long gcCollections, long gcMillis, long classesLoaded, long classesUnloaded) {

  /** The reading of a JVM that has done nothing: the baseline of a process this command started. */
  public static JvmWarmup atJvmStart() {
    return new JvmWarmup(OptionalLong.of(0), OptionalLong.of(0), 0, 0, true, 0, 0, 0, 0, 0);
  }

  public static JvmWarmup now() {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    OptionalLong jitMillis = jit != null && jit.isCompilationTimeMonitoringSupported()
        ? OptionalLong.of(jit.getTotalCompilationTime()) : OptionalLong.empty();
    long gcCount = 0;
    long gcTime = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      gcCount += Math.max(0, gc.getCollectionCount()); // -1: this collector does not count
      gcTime += Math.max(0, gc.getCollectionTime());
    }
    ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
    Histogram compileTimes = CodegenMetrics.METRIC_COMPILATION_TIME();
    long compiles = compileTimes.getCount();
    long[] samples = compileTimes.getSnapshot().getValues();
    boolean exact = samples.length == compiles;
    double compileMillis = exact ? Arrays.stream(samples).sum() : compileTimes.getSnapshot().getMean() * compiles;
    long[] sourceSizes = CodegenMetrics.METRIC_SOURCE_CODE_SIZE().getSnapshot().getValues();
    long sourceChars = sourceSizes.length == CodegenMetrics.METRIC_SOURCE_CODE_SIZE().getCount()
        ? Arrays.stream(sourceSizes).sum() : -1;
    return new JvmWarmup(jitMillis, CompilerThreadsCpu.millis(), compiles, compileMillis, exact, sourceChars, gcCount, gcTime,
        classes.getTotalLoadedClassCount(), classes.getUnloadedClassCount());
  }

  /** What was spent between {@code earlier} and this reading. */
  public JvmWarmup since(JvmWarmup earlier) {
    return new JvmWarmup(minus(jitMillis, earlier.jitMillis), minus(jitCpuMillis, earlier.jitCpuMillis),
        codegenCompiles - earlier.codegenCompiles, codegenMillis - earlier.codegenMillis,
        codegenExact && earlier.codegenExact,
        codegenSourceChars < 0 || earlier.codegenSourceChars < 0 ? -1 : codegenSourceChars - earlier.codegenSourceChars,
        gcCollections - earlier.gcCollections, gcMillis - earlier.gcMillis, classesLoaded - earlier.classesLoaded,
        classesUnloaded - earlier.classesUnloaded);
  }

  /** A difference of two readings; at least 0, as a compiler thread that ended takes its CPU time along. */
  private static OptionalLong minus(OptionalLong later, OptionalLong earlier) {
    return later.isPresent() && earlier.isPresent()
        ? OptionalLong.of(Math.max(0, later.getAsLong() - earlier.getAsLong())) : OptionalLong.empty();
  }

  /**
   * The warm-up counted as overhead: JIT plus code generation. Both are spent because the JVM is
   * new (a JVM that ran the same work before would skip most of it), so merging tasks into one JVM
   * saves them. Code generation runs on the query's own threads, so its time is on the task's path.
   * The JIT runs on its own threads beside the work: its CPU time is counted (on two cores it takes
   * a core from the work), not the JVM's compilation time, which counts waiting for a core too. GC is
   * reported but not counted: a warm JVM collects the same garbage.
   */
  public double overheadSeconds() {
    return (jitCpuMillis.orElse(jitMillis.orElse(0)) + codegenMillis) / 1000.0;
  }

  /** One line for the end-of-run summary. */
  public String describe() {
    return String.format(java.util.Locale.ROOT,
        "JIT %s (CPU %s), Spark codegen %.1f s (%d classes), GC %.1f s (%d collections), %,d classes loaded",
        secondsOrNa(jitMillis), secondsOrNa(jitCpuMillis),
        codegenMillis / 1000.0, codegenCompiles, gcMillis / 1000.0, gcCollections, classesLoaded);
  }

  private static String secondsOrNa(OptionalLong millis) {
    return millis.isPresent() ? String.format(java.util.Locale.ROOT, "%.1f s", millis.getAsLong() / 1000.0) : "n/a";
  }
}
