package dev.stepwise.core.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Keeps two runs from writing the same dataset of the same run date at once: a run takes a lock
 * file beside each place it will publish to, created only if absent, and removes it when done.
 * A second run fails at once, naming the holder. A lock left by a run that was killed is taken
 * over: on the same host when its process is gone, elsewhere once it is older than
 * {@link #STALE_AFTER}. A lock whose holder never finished writing its name (killed between creating
 * the file and writing it) is taken over once it is {@link #NAMING_GRACE} old. The lock also makes it
 * safe to clear what a killed run left behind.
 */
public final class RunLock implements AutoCloseable {
  /** A run holding a lock longer than this on another host is presumed dead. */
  public static final Duration STALE_AFTER = Duration.ofHours(12);
  /** A live run writes its name into the lock within milliseconds of creating it. */
  static final Duration NAMING_GRACE = Duration.ofSeconds(2);
  private static final String SUFFIX = ".stepwise-lock";

  private final FileSystem fs;
  private final List<Path> held;

  private RunLock(FileSystem fs, List<Path> held) {
    this.fs = fs;
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
    FileSystem fs = null;
    Path current = null;
    try {
      for (Path target : sorted) {
        current = target;
        Path lock = lockOf(target);
        fs = lock.getFileSystem(hadoop);
        fs.mkdirs(lock.getParent());
        if (!tryCreate(fs, lock, runId)) {
          Optional<String> holder = liveHolder(fs, lock);
          if (holder.isPresent()) {
            throw new ConcurrentRunException(target.toString(), holder.get());
          }
          fs.delete(lock, false);
          if (!tryCreate(fs, lock, runId)) {
            throw new ConcurrentRunException(target.toString(), "a run that started at the same moment");
          }
        }
        held.add(lock);
      }
      return new RunLock(fs, held);
    } catch (IOException e) {
      release(fs, held);
      throw new UncheckedIOException("cannot take the lock beside " + current + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      release(fs, held);
      throw e;
    }
  }

  static Path lockOf(Path target) {
    return new Path(target.getParent(), "." + target.getName() + SUFFIX);
  }

  private static boolean tryCreate(FileSystem fs, Path lock, String runId) throws IOException {
    try (FSDataOutputStream out = fs.create(lock, false)) {
      out.write(describeThisRun(runId).getBytes(StandardCharsets.UTF_8));
      return true;
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      // Local file systems report an existing file as a plain IOException.
      if (fs.exists(lock)) {
        return false;
      }
      throw e;
    }
  }

  private static String describeThisRun(String runId) throws IOException {
    return "host=" + InetAddress.getLocalHost().getHostName() + "\npid=" + ProcessHandle.current().pid()
        + "\nrun=" + runId + "\nsince=" + Instant.now() + "\n";
  }

  /** Who holds the lock, if that run still looks alive. */
  private static Optional<String> liveHolder(FileSystem fs, Path lock) throws IOException {
    Optional<LockFile> read = LockFile.read(fs, lock);
    if (read.isPresent() && !read.get().names() && read.get().age().compareTo(NAMING_GRACE) < 0) {
      // Either its holder is writing its name right now or it was killed doing so: look again later.
      sleep(NAMING_GRACE.minus(read.get().age()));
      read = LockFile.read(fs, lock);
    }
    if (read.isEmpty() || !read.get().names()) {
      return Optional.empty();
    }
    String content = read.get().content();
    String host = field(content, "host");
    long pid = parsePid(field(content, "pid"));
    String description = "run " + field(content, "run") + " (pid " + pid + " on " + host + ", since "
        + field(content, "since") + ")";
    if (host.equals(InetAddress.getLocalHost().getHostName())) {
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(p -> description);
    }
    boolean fresh = read.get().age().compareTo(STALE_AFTER) < 0;
    return fresh ? Optional.of(description) : Optional.empty();
  }

  /** What a lock file held when read, and how long ago it was last written. */
  private record LockFile(String content, Duration age) {
    static Optional<LockFile> read(FileSystem fs, Path lock) throws IOException {
      FileStatus status;
      String content;
      try {
        status = fs.getFileStatus(lock);
        try (FSDataInputStream in = fs.open(lock)) {
          content = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      } catch (java.io.FileNotFoundException gone) {
        return Optional.empty();
      } catch (org.apache.hadoop.fs.ChecksumException halfWritten) {
        // A holder killed mid-write can leave a checksum that does not match: the lock names no one.
        content = "";
        status = fs.getFileStatus(lock);
      }
      Duration age = Duration.between(Instant.ofEpochMilli(status.getModificationTime()), Instant.now());
      return Optional.of(new LockFile(content, age.isNegative() ? Duration.ZERO : age));
    }

    /** Whether the holder got as far as writing its host and process id. */
    boolean names() {
      return parsePid(field(content, "pid")) > 0 && !field(content, "host").equals("?");
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
    release(fs, held);
  }

  private static void release(FileSystem fs, List<Path> held) {
    for (Path lock : held) {
      try {
        fs.delete(lock, false);
      } catch (IOException e) {
        // A lock file left behind is taken over by the next run once its holder is gone.
      }
    }
  }
}
