package dev.stepwise.entrypoint;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.Optional;

/**
 * When this process started and when {@code main} was entered: the run report charges the time
 * between them (JVM start, class loading) to the run, since a scheduler pays it for every task.
 *
 * @param jvmStart empty when the command line runs inside another program (tests), which paid for
 *     its own JVM
 */
record Launch(Optional<Instant> jvmStart, Instant mainEntered) {
  // Not ProcessHandle's start instant: on Linux it counts from a boot time rounded to whole seconds,
  // and was measured 0.34 s before the shell that started the JVM.
  static Launch ofThisJvm(Instant mainEntered) {
    return new Launch(Optional.of(Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime())),
        mainEntered);
  }
}
