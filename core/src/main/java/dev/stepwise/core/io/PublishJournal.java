package dev.stepwise.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Properties;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The intent of one publish, written beside the target before its first rename and removed after
 * its last: {@code .NAME.stepwise-publish} names the complete staging to move in and where the old
 * version goes meanwhile. While it exists the target may be briefly absent; whoever finds it with its
 * writer dead {@linkplain #rollForward finishes the publish}. The staging is complete (data,
 * {@link OwnerMarker}) before the journal is written, so finishing is always possible and a crash is
 * always rolled forward, never back.
 *
 * <p>The publish steps, each a point a crash may fall on: write the journal (temporary file, then
 * rename), move the old version aside, move the staging in, remove the journal, delete the old version.
 */
record PublishJournal(Path target, Path staging, Path previous, String runId) {
  private static final String SUFFIX = ".stepwise-publish";

  static Path journalOf(Path target) {
    return new Path(target.getParent(), "." + target.getName() + SUFFIX);
  }

  static Path previousOf(Path target, String runId) {
    return new Path(target.getParent(), "." + target.getName() + ".stepwise-previous-" + runId);
  }

  /** Moves {@code staging} to {@code target}, the old version aside and then away, journaled. */
  static void publish(FileSystem fs, Path staging, Path target, String runId) throws IOException {
    PublishJournal journal = new PublishJournal(target, staging, previousOf(target, runId), runId);
    journal.write(fs);
    journal.rollForward(fs);
  }

  /** The publish that was under way at {@code target}, if its journal is there. */
  static Optional<PublishJournal> find(FileSystem fs, Path target) throws IOException {
    Path file = journalOf(target);
    Properties p = new Properties();
    try (InputStream in = fs.open(file)) {
      p.load(new StringReader(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
    } catch (java.io.FileNotFoundException absent) {
      return Optional.empty();
    }
    String staging = p.getProperty("staging");
    String previous = p.getProperty("previous");
    if (staging == null || previous == null) {
      throw new IOException("the publish journal " + file + " is not one Stepwise wrote: move it away");
    }
    return Optional.of(new PublishJournal(target, new Path(staging), new Path(previous), p.getProperty("run_id", "?")));
  }

  void write(FileSystem fs) throws IOException {
    Properties p = new Properties();
    p.setProperty("run_id", runId);
    p.setProperty("staging", staging.toString());
    p.setProperty("previous", previous.toString());
    Path journal = journalOf(target);
    Path temporary = new Path(journal.getParent(), journal.getName() + ".tmp-" + runId);
    if (!WholeFile.write(fs, p, "stepwise: publishing " + target
        + "; a later Stepwise process finishes it if this one died", temporary, journal,
        CrashPoints.JOURNAL_WRITE, CrashPoints.JOURNAL_RENAME)) {
      fs.delete(temporary, false);
      throw new IOException("cannot write the publish journal " + journal + " (is another publish under way?)");
    }
  }

  /**
   * Takes the publish from wherever it stopped to its end. Each step looks at what is there first, so
   * running it again after a crash at any point is safe. Call only while holding the target's lock.
   */
  void rollForward(FileSystem fs) throws IOException {
    if (fs.exists(staging)) {
      if (fs.exists(target)) {
        CrashPoints.reach(CrashPoints.MOVE_PREVIOUS_ASIDE);
        if (!fs.rename(target, previous)) {
          throw new IOException("cannot move the previous " + target + " aside to " + previous);
        }
      }
      CrashPoints.reach(CrashPoints.MOVE_STAGING_IN);
      if (!fs.rename(staging, target)) {
        throw new IOException("cannot move " + staging + " to " + target);
      }
    } else if (!fs.exists(target) && fs.exists(previous)) {
      // Not a state a publish leaves; someone removed the staging by hand. The old version is whole.
      fs.rename(previous, target);
    }
    CrashPoints.reach(CrashPoints.JOURNAL_REMOVE);
    fs.delete(journalOf(target), false);
    if (fs.exists(previous)) {
      CrashPoints.reach(CrashPoints.DELETE_PREVIOUS);
      fs.delete(previous, true);
    }
  }
}
