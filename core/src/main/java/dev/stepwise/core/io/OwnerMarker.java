package dev.stepwise.core.io;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Says "Stepwise published this folder": a small file inside every dataset folder Stepwise
 * publishes, written into the staging before it is moved in. A publish only ever moves aside or
 * deletes a folder that carries it, so a user's own folder at a dataset's place is never touched.
 * It also keeps the published row count, for the guard against publishing far fewer rows, and the
 * schema the files were written with, so a later task reads them without asking Spark to infer it
 * (a Spark job per read; see {@code DatasetStore#read}). The name starts with an underscore, so
 * Spark readers skip it.
 *
 * @param rows rows published, or -1 when Spark did not report them
 * @param schema the written files' schema as Spark's JSON; empty in markers of older versions
 */
public record OwnerMarker(String runId, String dataset, long rows, Instant published, Optional<String> schema) {
  public static final String FILE_NAME = "_STEPWISE";

  /** Written under a temporary name, then renamed: the marker appears whole or not at all. */
  void writeInto(FileSystem fs, Path folder) throws IOException {
    Properties p = new Properties();
    p.setProperty("run_id", runId);
    p.setProperty("dataset", dataset);
    p.setProperty("rows", Long.toString(rows));
    p.setProperty("published", published.toString());
    schema.ifPresent(json -> p.setProperty("schema", json));
    Path temporary = new Path(folder, "_" + FILE_NAME + ".tmp");
    if (!WholeFile.write(fs, p, "stepwise: this folder was published by Stepwise; a later run may replace it",
        temporary, new Path(folder, FILE_NAME), CrashPoints.OWNER_MARKER_WRITE, CrashPoints.OWNER_MARKER_RENAME)) {
      throw new IOException("cannot rename " + temporary + " to " + FILE_NAME);
    }
  }

  /** The marker of a published folder; empty when there is none or it is not one this version reads. */
  public static Optional<OwnerMarker> readFrom(FileSystem fs, Path folder) throws IOException {
    Optional<Properties> read = WholeFile.read(fs, new Path(folder, FILE_NAME));
    if (read.isEmpty()) {
      return Optional.empty();
    }
    Properties p = read.get();
    try {
      return Optional.of(new OwnerMarker(p.getProperty("run_id", "?"), p.getProperty("dataset", "?"),
          Long.parseLong(p.getProperty("rows", "-1")), Instant.parse(p.getProperty("published")),
          Optional.ofNullable(p.getProperty("schema"))));
    } catch (RuntimeException e) {
      return Optional.of(new OwnerMarker(p.getProperty("run_id", "?"), p.getProperty("dataset", "?"), -1,
          Instant.EPOCH, Optional.empty()));
    }
  }

  /** Rows of the version published at {@code target}, when Stepwise published it and counted them. */
  public static OptionalLong publishedRows(FileSystem fs, Path target) throws IOException {
    if (!fs.exists(target)) {
      return OptionalLong.empty();
    }
    return readFrom(fs, target).filter(m -> m.rows() >= 0).map(m -> OptionalLong.of(m.rows()))
        .orElse(OptionalLong.empty());
  }

  /**
   * Fails unless whatever is at {@code target} may be replaced: nothing, an empty folder, or a folder
   * Stepwise published.
   *
   * @throws ForeignDataException naming the path
   */
  static void requireReplaceable(FileSystem fs, Path target, String dataset) throws IOException {
    if (!fs.exists(target)) {
      return;
    }
    FileStatus status = fs.getFileStatus(target);
    if (status.isDirectory() && fs.exists(new Path(target, FILE_NAME))) {
      return;
    }
    if (status.isDirectory() && fs.listStatus(target).length == 0) {
      return;
    }
    throw new ForeignDataException(dataset, target.toString());
  }
}
