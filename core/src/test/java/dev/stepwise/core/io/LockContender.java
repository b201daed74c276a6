package dev.stepwise.core.io;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/**
 * One contender of {@link RunLockTakeoverTest}, in a JVM of its own, for every round: says it is
 * ready, waits for the round's start signal, tries to take the lock of a dataset, and while holding
 * it appends {@code start PID} and then {@code end PID} to the round's log; then records whether it
 * held the lock or a live run refused it.
 */
public final class LockContender {
  private LockContender() {}

  public static void main(String[] args) throws Exception {
    org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(args[0]);
    Path dir = Path.of(args[1]);
    int rounds = Integer.parseInt(args[2]);
    String me = args[3];
    Configuration hadoop = new Configuration();
    target.getFileSystem(hadoop); // load Hadoop before the first start signal, so the contenders meet
    String pid = Long.toString(ProcessHandle.current().pid());
    for (int round = 0; round < rounds; round++) {
      Files.writeString(dir.resolve("ready-" + round + "-" + me), pid);
      while (!Files.exists(dir.resolve("go-" + round))) {
        Thread.sleep(2);
      }
      String outcome;
      try (RunLock lock = RunLock.acquire(List.of(target), "contender-" + pid + "-" + round, hadoop)) {
        append(dir.resolve("holders-" + round + ".log"), "start " + pid);
        Thread.sleep(100);
        append(dir.resolve("holders-" + round + ".log"), "end " + pid);
        outcome = "held";
      } catch (ConcurrentRunException refused) {
        outcome = "refused";
      }
      Path partial = dir.resolve("partial-result-" + round + "-" + me);
      Files.writeString(partial, outcome);
      Files.move(partial, dir.resolve("result-" + round + "-" + me), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
  }

  private static void append(Path log, String line) throws Exception {
    Files.writeString(log, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }
}
