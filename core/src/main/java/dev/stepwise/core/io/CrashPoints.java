package dev.stepwise.core.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test-only switch that halts the JVM at a named step of a write, rename or delete, to prove that
 * every such moment leaves data a Stepwise reader sees whole and the next process repairs.
 *
 * <p>{@code -Dstepwise.crash-at=NAME} halts (exit 137, no shutdown hooks, like {@code kill -9}) when
 * the run reaches point NAME; {@code NAME#n} at its n-th occurrence. {@code -Dstepwise.crash-trace=FILE}
 * appends every point reached to FILE, one line each, to enumerate a run's points.
 * {@code -Dstepwise.pause-at=NAME:MILLIS} sleeps there instead, to widen a race a test wants to lose.
 * With none of them set, {@link #reach} is a read of one static field.
 */
public final class CrashPoints {
  /** Every point, in the order a successful publish meets them; a failed task meets DISCARD_STAGING. */
  public static final String LOCK_CREATE = "lock.create";
  public static final String LOCK_CLAIM_TAKE_OVER = "lock.claim-take-over";
  public static final String LOCK_DELETE_STALE = "lock.delete-stale";
  public static final String RECOVER_DELETE_LEFTOVER = "recover.delete-leftover";
  public static final String STAGING_WRITE = "staging.write";
  public static final String STAGING_WRITTEN = "staging.written";
  public static final String COMPLETE_MARKER_WRITE = "complete-marker.write";
  public static final String COMPLETE_MARKER_RENAME = "complete-marker.rename";
  public static final String COMPLETE_MARKER_REMOVE = "complete-marker.remove";
  public static final String OWNER_MARKER_WRITE = "owner-marker.write";
  public static final String OWNER_MARKER_RENAME = "owner-marker.rename";
  public static final String JOURNAL_WRITE = "journal.write";
  public static final String JOURNAL_RENAME = "journal.rename";
  public static final String MOVE_PREVIOUS_ASIDE = "publish.move-previous-aside";
  public static final String MOVE_STAGING_IN = "publish.move-staging-in";
  public static final String JOURNAL_REMOVE = "journal.remove";
  public static final String DELETE_PREVIOUS = "publish.delete-previous";
  public static final String DISCARD_STAGING = "discard.delete-staging";
  public static final String LOCK_REMOVE = "lock.remove";
  /** Before each attempt of a Delta dataset's one commit; not in {@link #ALL}, which file publishes all reach. */
  public static final String DELTA_COMMIT = "delta.commit";

  public static final List<String> ALL = List.of(LOCK_CREATE, LOCK_CLAIM_TAKE_OVER, LOCK_DELETE_STALE,
      RECOVER_DELETE_LEFTOVER, STAGING_WRITE, STAGING_WRITTEN, COMPLETE_MARKER_WRITE, COMPLETE_MARKER_RENAME,
      COMPLETE_MARKER_REMOVE, OWNER_MARKER_WRITE, OWNER_MARKER_RENAME, JOURNAL_WRITE, JOURNAL_RENAME,
      MOVE_PREVIOUS_ASIDE, MOVE_STAGING_IN, JOURNAL_REMOVE, DELETE_PREVIOUS, DISCARD_STAGING, LOCK_REMOVE);

  /** Exit status of a halted JVM, as after SIGKILL. */
  public static final int HALT_STATUS = 137;

  private static final String CRASH_AT = System.getProperty("stepwise.crash-at");
  private static final String TRACE = System.getProperty("stepwise.crash-trace");
  private static final String PAUSE_AT = System.getProperty("stepwise.pause-at");
  private static final boolean ARMED = CRASH_AT != null || TRACE != null || PAUSE_AT != null;
  private static final Map<String, AtomicInteger> SEEN = new ConcurrentHashMap<>();

  private CrashPoints() {}

  /** Marks that the run is about to take the step {@code point}. */
  public static void reach(String point) {
    if (ARMED) {
      arrive(point);
    }
  }

  private static void arrive(String point) {
    int occurrence = SEEN.computeIfAbsent(point, p -> new AtomicInteger()).incrementAndGet();
    if (TRACE != null) {
      try {
        Files.writeString(java.nio.file.Path.of(TRACE), point + "#" + occurrence + "\n", StandardCharsets.UTF_8,
            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("cannot trace crash point " + point, e);
      }
    }
    if (PAUSE_AT != null && PAUSE_AT.startsWith(point + ":")) {
      try {
        Thread.sleep(Long.parseLong(PAUSE_AT.substring(point.length() + 1)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (CRASH_AT != null && (CRASH_AT.equals(point) || CRASH_AT.equals(point + "#" + occurrence))) {
      Runtime.getRuntime().halt(HALT_STATUS);
    }
  }
}
