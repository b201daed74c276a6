package dev.stepwise.entrypoint.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * When this process started and when {@code main} was entered: the run report charges the time
 * between them (launcher scripts, JVM start, class loading) to the run, since a scheduler pays it
 * for every task.
 *
 * @param jvmStart empty when the command line runs inside another program (tests), which paid for
 *     its own JVM
 */
record Launch(Optional<Instant> jvmStart, Instant mainEntered) {
  /** Linux reports a process's start in clock ticks since boot; USER_HZ is 100 on every Linux ABI. */
  private static final double TICKS_PER_SECOND = 100.0;

  /**
   * From the process's own start, not the JVM's: spark-submit and bin/stepwise are shell scripts that
   * run a launcher JVM and then exec the real one under the same process id, so the process start is
   * when the outside world began waiting. Falls back to the JVM's start time.
   */
  static Launch ofThisJvm(Instant mainEntered) {
    Instant jvm = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
    Instant process = processStart().filter(p -> !p.isAfter(jvm)).orElse(jvm);
    return new Launch(Optional.of(process.isAfter(mainEntered) ? mainEntered : process), mainEntered);
  }

  static Optional<Instant> processStart() {
    return linuxProcessStart().or(() -> ProcessHandle.current().info().startInstant());
  }

  /**
   * ProcessHandle's start instant on Linux adds the start ticks to a boot time rounded down to whole
   * seconds (up to 1 s early); /proc/uptime gives the boot time to the hundredth of a second.
   */
  private static Optional<Instant> linuxProcessStart() {
    try {
      Path stat = Path.of("/proc/self/stat");
      Path uptime = Path.of("/proc/uptime");
      if (!Files.isReadable(stat) || !Files.isReadable(uptime)) {
        return Optional.empty();
      }
      Instant now = Instant.now();
      double upSeconds = Double.parseDouble(Files.readString(uptime).trim().split("\\s+")[0]);
      String text = Files.readString(stat);
      // Field 2 (the command name) may hold spaces and parentheses: count fields after its last ')'.
      String[] after = text.substring(text.lastIndexOf(')') + 2).trim().split("\\s+");
      long startTicks = Long.parseLong(after[19]); // field 22, starttime
      double sinceStart = upSeconds - startTicks / TICKS_PER_SECOND;
      if (sinceStart < 0) {
        return Optional.empty();
      }
      return Optional.of(now.minusNanos(Math.round(sinceStart * 1e9)));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
