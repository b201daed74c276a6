package dev.stepwise.entrypoint.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * CPU time of HotSpot's JIT compiler threads, from Linux's per-thread accounting
 * ({@code /proc/self/task/<tid>/stat}): no JVM API gives it, as those threads are hidden from
 * Java's thread beans. A compiler thread HotSpot ends when idle takes its time along, so this is
 * at least what the JIT spent.
 */
final class CompilerThreadsCpu {
  /** Linux truncates a thread's name to 15 characters: "C2 CompilerThread0" shows as "C2 CompilerThre". */
  private static final String NAME_PREFIX = "CompilerThre";
  /** Linux reports CPU time in clock ticks; USER_HZ is 100 on every Linux ABI. */
  private static final long MILLIS_PER_TICK = 10;

  private CompilerThreadsCpu() {}

  static OptionalLong millis() {
    Path tasks = Path.of("/proc/self/task");
    if (!Files.isDirectory(tasks)) {
      return OptionalLong.empty();
    }
    try (Stream<Path> threads = Files.list(tasks)) {
      return OptionalLong.of(threads.mapToLong(CompilerThreadsCpu::compilerTicks).sum() * MILLIS_PER_TICK);
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }

  /** utime + stime of one thread when it is a compiler thread; 0 otherwise or when it has just ended. */
  private static long compilerTicks(Path thread) {
    try {
      String stat = Files.readString(thread.resolve("stat"));
      int open = stat.indexOf('(');
      int close = stat.lastIndexOf(')');
      String name = stat.substring(open + 1, close);
      if (!(name.startsWith("C1 ") || name.startsWith("C2 ")) || !name.contains(NAME_PREFIX)) {
        return 0;
      }
      // Fields after the name: state is field 3, utime 14 and stime 15.
      String[] after = stat.substring(close + 2).trim().split("\\s+");
      return Long.parseLong(after[11]) + Long.parseLong(after[12]);
    } catch (IOException e) {
      return 0; // the thread ended between listing and reading
    }
  }
}
