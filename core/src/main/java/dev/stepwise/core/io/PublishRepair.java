package dev.stepwise.core.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What every Stepwise reader of a dataset calls first: if a publish of it stopped half-way (its
 * {@link PublishJournal} is there and its writer is dead), this finishes it, under the dataset's
 * {@link RunLock}; if the writer is alive and publishing at this moment, this waits the milliseconds
 * until it is done. Afterwards the dataset's place holds a complete version. Data moved aside by an
 * older version's publish, with nothing in its place, is put back the same way.
 */
public final class PublishRepair {
  /** A publish is two renames; one still under way after this long has a writer that hangs. */
  static final Duration PATIENCE = Duration.ofMinutes(2);
  private static final Duration POLL = Duration.ofMillis(50);

  private PublishRepair() {}

  /** Settles the dataset at {@code target}; a location with glob characters is left as it is. */
  public static void settle(Path given, Configuration hadoop) {
    // Parsed again from text: a Path built from a folder's URI keeps its trailing slash, and so has no name.
    Path target = new Path(given.toString());
    if (target.toString().matches(".*[*?\\[\\]{}].*") || target.getParent() == null) {
      return;
    }
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    try {
      FileSystem fs = target.getFileSystem(hadoop);
      while (needsRepair(fs, target)) {
        try (RunLock lock = RunLock.acquire(List.of(target), "repair-" + ProcessHandle.current().pid()
            + "-" + System.nanoTime(), hadoop)) {
          repairHoldingLock(fs, target);
          return;
        } catch (ConcurrentRunException writerAlive) {
          Optional<PublishJournal> journal = PublishJournal.find(fs, target);
          if (journal.isEmpty()) {
            return; // a live writer, not publishing now: the place holds its old version, or the writer repairs
          }
          if (System.nanoTime() > deadline) {
            throw new UncheckedIOException(new IOException("the publish of " + target + " by run "
                + journal.get().runId() + " has been under way for " + PATIENCE.toMinutes() + " minutes: "
                + writerAlive.getMessage()));
          }
          Thread.sleep(POLL.toMillis());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot finish an interrupted publish of " + target + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the publish of " + target, e);
    }
  }

  private static boolean needsRepair(FileSystem fs, Path target) throws IOException {
    if (fs.exists(PublishJournal.journalOf(target))) {
      return true;
    }
    return !fs.exists(target) && !previousVersions(fs, target).isEmpty();
  }

  /** Finishes a journaled publish, or puts back data an unjournaled one moved aside. Hold the lock. */
  static void repairHoldingLock(FileSystem fs, Path target) throws IOException {
    Optional<PublishJournal> journal = PublishJournal.find(fs, target);
    if (journal.isPresent()) {
      journal.get().rollForward(fs);
      return;
    }
    List<FileStatus> previous = previousVersions(fs, target);
    if (!fs.exists(target) && !previous.isEmpty()) {
      FileStatus newest = previous.stream()
          .max(java.util.Comparator.comparingLong(FileStatus::getModificationTime)).orElseThrow();
      fs.rename(newest.getPath(), target);
    }
  }

  private static List<FileStatus> previousVersions(FileSystem fs, Path target) throws IOException {
    if (!fs.exists(target.getParent())) {
      return List.of();
    }
    String prefix = "." + target.getName() + ".stepwise-previous-";
    return List.of(fs.listStatus(target.getParent(), p -> p.getName().startsWith(prefix)));
  }
}
