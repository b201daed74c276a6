package dev.stepwise.core.io;

import java.io.IOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Says that a staging folder holds a whole dataset whose checks passed, and what produced it: the
 * last file written into the folder, so a folder without it (a run killed while writing) is never
 * reused. A resumed run reuses the folder only when every field matches what it would produce.
 * The name starts with an underscore, so Spark readers skip it.
 *
 * @param runId the run that wrote the data
 * @param dataset the dataset, or {@code dataset.expectation} for the rows a drop rule set aside
 * @param rows rows written
 * @param fingerprint of everything that decides the data: see {@code Fingerprints}
 * @param schema the written data's schema, as Spark's JSON, to read it back with the same types
 */
public record StagingMarker(LocalDate runDate, String runId, String task, String step, String dataset, long rows,
    String fingerprint, String schema) {
  static final String FILE_NAME = "_stepwise_complete";
  private static final List<String> FIELDS =
      List.of("run_date", "run_id", "task", "step", "dataset", "rows", "fingerprint", "schema");

  /** Whether data staged with this marker may stand in for what the given run would produce now. */
  public boolean matches(LocalDate runDate, String task, String dataset, String fingerprint) {
    return this.runDate.equals(runDate) && this.task.equals(task) && this.dataset.equals(dataset)
        && this.fingerprint.equals(fingerprint);
  }

  /** Written under a temporary name, then renamed: the marker appears whole or not at all. */
  void writeInto(FileSystem fs, Path folder) throws IOException {
    Properties p = new Properties();
    p.setProperty("run_date", runDate.toString());
    p.setProperty("run_id", runId);
    p.setProperty("task", task);
    p.setProperty("step", step);
    p.setProperty("dataset", dataset);
    p.setProperty("rows", Long.toString(rows));
    p.setProperty("fingerprint", fingerprint);
    p.setProperty("schema", schema);
    Path temporary = new Path(folder, FILE_NAME + ".tmp");
    if (!WholeFile.write(fs, p, "stepwise: this staged dataset is complete", temporary, new Path(folder, FILE_NAME),
        CrashPoints.COMPLETE_MARKER_WRITE, CrashPoints.COMPLETE_MARKER_RENAME)) {
      throw new IOException("cannot rename " + temporary + " to " + FILE_NAME);
    }
  }

  /** The marker in {@code folder}; empty when there is none or it cannot be read whole. */
  static Optional<StagingMarker> readFrom(FileSystem fs, Path folder) throws IOException {
    Optional<Properties> read = WholeFile.read(fs, new Path(folder, FILE_NAME));
    if (read.isEmpty()) {
      return Optional.empty();
    }
    Properties p = read.get();
    if (!p.stringPropertyNames().containsAll(FIELDS)) {
      return Optional.empty();
    }
    try {
      return Optional.of(new StagingMarker(LocalDate.parse(p.getProperty("run_date")), p.getProperty("run_id"),
          p.getProperty("task"), p.getProperty("step"), p.getProperty("dataset"),
          Long.parseLong(p.getProperty("rows")), p.getProperty("fingerprint"), p.getProperty("schema")));
    } catch (DateTimeParseException | NumberFormatException e) {
      return Optional.empty(); // not a marker this version wrote: the data is recomputed
    }
  }

  static void removeFrom(FileSystem fs, Path folder) throws IOException {
    CrashPoints.reach(CrashPoints.COMPLETE_MARKER_REMOVE);
    fs.delete(new Path(folder, FILE_NAME), false);
  }
}
