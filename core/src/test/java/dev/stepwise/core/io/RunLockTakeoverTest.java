package dev.stepwise.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three JVMs at once find the lock of a dead run, round after round: at most one of them may hold
 * the lock at any time. One contender pauses between judging the lock dead and taking it over (the
 * moment where the old delete-then-create take-over let two runs in), another right before it
 * deletes the dead lock. The holders log their start and end; two starts in a row mean two holders.
 */
class RunLockTakeoverTest {
  private static final int ROUNDS = 30;
  private static final int CONTENDERS = 3;

  @TempDir Path dir;

  @Test
  void onlyOneOfSeveralJvmsTakesOverTheLockOfADeadRun() throws Exception {
    Path target = dir.resolve("out/run_date=2026-11-21");
    Files.createDirectories(target.getParent());
    Path lock = target.resolveSibling("." + target.getFileName() + ".stepwise-lock");
    Path signals = Files.createDirectories(dir.resolve("signals"));
    List<Process> contenders = new ArrayList<>();
    for (int c = 0; c < CONTENDERS; c++) {
      List<String> pause = switch (c) {
        case 0 -> List.of("-Dstepwise.pause-at=" + CrashPoints.LOCK_CLAIM_TAKE_OVER + ":300");
        case 1 -> List.of("-Dstepwise.pause-at=" + CrashPoints.LOCK_DELETE_STALE + ":150");
        default -> List.of();
      };
      contenders.add(ChildJvm.start(LockContender.class, pause, dir.resolve("contender-" + c + ".out"),
          target.toUri().toString(), signals.toString(), Integer.toString(ROUNDS), Integer.toString(c)));
    }
    int held = 0;
    int refused = 0;
    try {
      for (int round = 0; round < ROUNDS; round++) {
        // A process that just ended, each round: pids are reused, and an old one may belong to a live process by now.
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.writeString(lock, "host=" + InetAddress.getLocalHost().getHostName() + "\npid=" + gone.pid()
            + "\nrun=dead-" + round + "\nsince=2026-11-21T03:00:00Z\n");
        for (int c = 0; c < CONTENDERS; c++) {
          awaitFile(signals.resolve("ready-" + round + "-" + c), contenders.get(c), c);
        }
        Files.createFile(signals.resolve("go-" + round));
        for (int c = 0; c < CONTENDERS; c++) {
          Path result = signals.resolve("result-" + round + "-" + c);
          awaitFile(result, contenders.get(c), c);
          if (Files.readString(result).equals("held")) {
            held++;
          } else {
            refused++;
          }
        }
        Path log = signals.resolve("holders-" + round + ".log");
        List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
        assertTrue(!lines.isEmpty(), "round " + round + ": some contender took over the dead run's lock");
        for (int i = 0; i < lines.size(); i += 2) {
          String pid = lines.get(i).substring("start ".length());
          assertEquals("start " + pid, lines.get(i), "round " + round + ", holders: " + lines);
          assertEquals("end " + pid, lines.get(i + 1), "round " + round + ": two holders at once: " + lines);
        }
        assertTrue(!Files.exists(lock), "round " + round + ": the last holder released the lock");
        try (var left = Files.list(target.getParent())) {
          assertEquals(List.of(), left.map(p -> p.getFileName().toString()).toList(),
              "round " + round + ": no take-over or temporary file is left");
        }
      }
    } finally {
      contenders.forEach(Process::destroyForcibly);
    }
    System.out.printf("lock take-over: %d rounds of %d JVMs against a dead run's lock: %d times held"
        + " (never two at once), %d refused%n", ROUNDS, CONTENDERS, held, refused);
  }

  private void awaitFile(Path file, Process contender, int index) throws Exception {
    while (!Files.exists(file)) {
      if (!contender.isAlive()) {
        throw new AssertionError("contender " + index + " died: " + Files.readString(dir.resolve("contender-" + index + ".out")));
      }
      Thread.sleep(5);
    }
  }
}
