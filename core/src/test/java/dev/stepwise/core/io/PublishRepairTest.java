package dev.stepwise.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state a publish leaves after each of its steps, built by hand with the writer dead: a reader's
 * {@link PublishRepair#settle} finishes the publish from any of them, and running it again changes
 * nothing. Fast and without Spark; {@code CrashPointTest} halts real runs at the same steps.
 */
class PublishRepairTest {
  @TempDir Path dir;

  @Test
  void aReaderFinishesAPublishStoppedAfterAnyStep() throws Exception {
    Configuration hadoop = new Configuration();
    int steps = 5;
    for (int done = 0; done <= steps; done++) {
      for (boolean viaPreflight : List.of(false, true)) {
        Path root = dir.resolve("case-" + done + "-" + viaPreflight);
        Path target = root.resolve("run_date=2026-11-21");
        Path staging = root.resolve(".run_date=2026-11-21.stepwise-staging-r1");
        Files.createDirectories(target);
        Files.writeString(target.resolve("part-0"), "old");
        Files.writeString(target.resolve(OwnerMarker.FILE_NAME), "rows=1\n");
        Files.createDirectories(staging);
        Files.writeString(staging.resolve("part-0"), "new");
        Files.writeString(staging.resolve(OwnerMarker.FILE_NAME), "rows=1\n");
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.writeString(root.resolve(".run_date=2026-11-21.stepwise-lock"), "host="
            + InetAddress.getLocalHost().getHostName() + "\npid=" + gone.pid() + "\nrun=r1\nsince=2026-11-21T03:00:00Z\n");
        org.apache.hadoop.fs.Path t = new org.apache.hadoop.fs.Path(target.toUri().toString());
        FileSystem fs = t.getFileSystem(hadoop);
        PublishJournal journal = new PublishJournal(t, new org.apache.hadoop.fs.Path(staging.toUri().toString()),
            PublishJournal.previousOf(t, "r1"), "r1");
        String expected = done == 0 ? "old" : "new";
        if (done >= 1) {
          journal.write(fs);
        }
        if (done >= 2) {
          fs.rename(t, journal.previous());
        }
        if (done >= 3) {
          fs.rename(journal.staging(), t);
        }
        if (done >= 4) {
          fs.delete(PublishJournal.journalOf(t), false);
        }
        if (done >= 5) {
          fs.delete(journal.previous(), true);
        }
        String why = "stopped after " + done + " steps" + (viaPreflight ? ", repaired by pre-flight" : "");
        for (int again = 0; again < 2; again++) {
          if (viaPreflight) {
            assertEquals(Preflight.Contents.DATA, Preflight.contentsOf(target.toString(), () -> hadoop), why);
          } else {
            PublishRepair.settle(t, hadoop);
          }
          assertEquals(expected, Files.readString(target.resolve("part-0")), why);
          assertFalse(Files.exists(root.resolve(".run_date=2026-11-21.stepwise-publish")), why + ": journal removed");
        }
        try (Stream<Path> left = Files.list(root)) {
          List<String> names = left.map(p -> p.getFileName().toString()).sorted().toList();
          boolean oldVersionMayStay = done == 4;
          // After the journal is gone the publish is done; an old version not yet deleted is harmless to a
          // reader and the next run of the task deletes it.
          assertFalse(names.stream().anyMatch(n -> n.contains("publish") || n.contains("previous") && !oldVersionMayStay),
              why + ": " + names);
        }
      }
    }
  }
}
