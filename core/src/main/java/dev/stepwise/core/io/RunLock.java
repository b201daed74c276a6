package dev.stepwise.core.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Keeps two runs from writing the same dataset of the same run date at once: a run takes a lock
 * file beside each place it will publish to, created only if absent, and removes it when done.
 * A second run fails at once, naming the holder. A lock left by a run that was killed is taken
 * over: on the same host when its process is gone, elsewhere once it is older than
 * {@link #STALE_AFTER}. The lock also makes it safe to clear what a killed run left behind.
 *
 * <p>Taking over is won by one contender only. Deleting a dead run's lock is not enough: a second
 * contender that judged the same lock dead would then delete the first one's fresh lock. So a
 * contender first creates, exclusively, a take-over file named after the dead lock's content; only
 * its winner deletes that lock, and only while the lock still holds that same content. A lock, once
 * deleted, never holds that content again (it names a run), so a late contender finds nothing to
 * delete. A take-over file left by a contender killed mid-way is itself taken over the same way.
 */
public final class RunLock implements AutoCloseable {
  /** A run holding a lock longer than this on another host is presumed dead. */
  public static final Duration STALE_AFTER = Duration.ofHours(12);
  /** A lock written by an older version may be empty for a moment after its creation. */
  static final Duration NAMING_GRACE = Duration.ofSeconds(2);
  private static final String SUFFIX = ".stepwise-lock";
  private static final String TAKE_OVER = ".take-over-";
  /** Take-overs of take-overs: each level needs a contender killed mid-way, so this is never reached. */
  private static final int MAX_DEPTH = 4;

  private final ExclusiveFiles files;
  private final List<Path> held;

  private RunLock(ExclusiveFiles files, List<Path> held) {
    this.files = files;
    this.held = held;
  }

  /**
   * Locks every target, in sorted order so that two runs cannot each hold a part.
   *
   * @throws ConcurrentRunException if a live run holds one of them
   */
  public static RunLock acquire(List<Path> targets, String runId, Configuration hadoop) {
    List<Path> sorted = targets.stream().distinct().sorted().toList();
    List<Path> held = new ArrayList<>();
    ExclusiveFiles files = null;
    Path current = null;
    try {
      for (Path target : sorted) {
        current = target;
        Path lock = lockOf(target);
        FileSystem fs = lock.getFileSystem(hadoop);
        files = new ExclusiveFiles(fs);
        fs.mkdirs(lock.getParent());
        take(files, lock, target.toString(), runId);
        held.add(lock);
      }
      return new RunLock(files, held);
    } catch (IOException e) {
      release(files, held);
      throw new UncheckedIOException("cannot take the lock beside " + current + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      release(files, held);
      throw e;
    }
  }

  private static void take(ExclusiveFiles files, Path lock, String target, String runId) throws IOException {
    String me = describeThisRun(runId);
    // Each pass either creates the lock, finds a live holder, or removes one dead lock: few passes.
    for (int attempt = 0; attempt < 20; attempt++) {
      CrashPoints.reach(CrashPoints.LOCK_CREATE);
      if (files.create(lock, me, runId)) {
        return;
      }
      Optional<String> live = removeIfDead(files, lock, runId, 0);
      if (live.isPresent()) {
        throw new ConcurrentRunException(target, live.get());
      }
    }
    throw new ConcurrentRunException(target, "runs that keep starting at the same moment");
  }

  /**
   * Deletes {@code file} if it names a dead run, winning the right to do so exclusively first.
   *
   * @return the holder, when it is alive (nothing is deleted then)
   */
  private static Optional<String> removeIfDead(ExclusiveFiles files, Path file, String runId, int depth)
      throws IOException {
    Optional<ExclusiveFiles.Content> read = files.read(file);
    if (read.isPresent() && !names(read.get().text()) && age(read.get()).compareTo(NAMING_GRACE) < 0) {
      sleep(NAMING_GRACE.minus(age(read.get())));
      read = files.read(file);
    }
    if (read.isEmpty()) {
      return Optional.empty();
    }
    ExclusiveFiles.Content dead = read.get();
    Optional<String> live = liveHolder(dead);
    if (live.isPresent()) {
      return live;
    }
    if (depth >= MAX_DEPTH) {
      throw new IOException(file + " is being taken over by runs that keep dying; delete the "
          + TAKE_OVER.substring(1) + "* files beside it once no run is left");
    }
    Path takeOver = new Path(file.getParent(), file.getName() + TAKE_OVER + token(dead));
    CrashPoints.reach(CrashPoints.LOCK_CLAIM_TAKE_OVER);
    if (!files.create(takeOver, describeThisRun(runId), runId)) {
      // Another contender is taking over this very lock; if it died doing so, its take-over goes first.
      Optional<String> taker = removeIfDead(files, takeOver, runId, depth + 1);
      return taker.isPresent() ? Optional.of(taker.get() + ", taking over a lock of a dead run") : Optional.empty();
    }
    try {
      Optional<ExclusiveFiles.Content> now = files.read(file);
      if (now.isPresent() && now.get().text().equals(dead.text()) && now.get().modified().equals(dead.modified())) {
        CrashPoints.reach(CrashPoints.LOCK_DELETE_STALE);
        files.delete(file);
      }
    } finally {
      files.delete(takeOver);
    }
    return Optional.empty();
  }

  static Path lockOf(Path target) {
    return new Path(target.getParent(), "." + target.getName() + SUFFIX);
  }

  private static String describeThisRun(String runId) throws IOException {
    return "host=" + InetAddress.getLocalHost().getHostName() + "\npid=" + ProcessHandle.current().pid()
        + "\nrun=" + runId + "\nsince=" + Instant.now() + "\n";
  }

  /** Who wrote the lock, if that run still looks alive. */
  private static Optional<String> liveHolder(ExclusiveFiles.Content lock) throws IOException {
    if (!names(lock.text())) {
      return Optional.empty();
    }
    String content = lock.text();
    String host = field(content, "host");
    long pid = parsePid(field(content, "pid"));
    String description = "run " + field(content, "run") + " (pid " + pid + " on " + host + ", since "
        + field(content, "since") + ")";
    if (host.equals(InetAddress.getLocalHost().getHostName())) {
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(p -> description);
    }
    return age(lock).compareTo(STALE_AFTER) < 0 ? Optional.of(description) : Optional.empty();
  }

  /** Whether the holder got as far as writing its host and process id. */
  private static boolean names(String content) {
    return parsePid(field(content, "pid")) > 0 && !field(content, "host").equals("?");
  }

  private static Duration age(ExclusiveFiles.Content content) {
    Duration age = Duration.between(content.modified(), Instant.now());
    return age.isNegative() ? Duration.ZERO : age;
  }

  /** Names one lock's life: its content names a run, and its time tells apart empty locks of old versions. */
  private static String token(ExclusiveFiles.Content content) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest((content.text() + "\n" + content.modified().toEpochMilli()).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(Math.max(1, duration.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String field(String content, String name) {
    return content.lines().filter(l -> l.startsWith(name + "=")).map(l -> l.substring(name.length() + 1))
        .findFirst().orElse("?");
  }

  private static long parsePid(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  @Override
  public void close() {
    release(files, held);
  }

  private static void release(ExclusiveFiles files, List<Path> held) {
    for (Path lock : held) {
      try {
        CrashPoints.reach(CrashPoints.LOCK_REMOVE);
        files.delete(lock);
      } catch (IOException e) {
        // A lock file left behind is taken over by the next run once its holder is gone.
      }
    }
  }
}
