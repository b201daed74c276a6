package dev.stepwise.core.io;

import dev.stepwise.core.model.LocalPaths;
import dev.stepwise.core.model.RunContext;
import dev.stepwise.core.model.StorageFormat;
import dev.stepwise.core.model.StorageSpec;
import dev.stepwise.core.plan.DatasetRead;
import dev.stepwise.core.plan.TaskPlan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Checks, before any SparkSession starts, that every file input of a task is there: a missing
 * input should cost a retry seconds, not a Spark start-up. Tables are checked by Spark itself.
 *
 * <p>Local paths are checked with java.nio: loading Hadoop's file system classes (and the logging
 * they drag in) alone costs about a second of JVM time, half the budget of a fast failure. Other
 * schemes (hdfs:, s3a:, ...) go through Hadoop, created only when such a path comes up.
 */
public final class Preflight {
  private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:");

  private Preflight() {}

  /** As {@link #missingInputs(TaskPlan, RunContext, Configuration)}, with Hadoop loaded only if needed. */
  public static List<String> missingInputs(TaskPlan task, RunContext run) {
    return missingInputs(task, run, new Supplier<Configuration>() {
      private Configuration hadoop;

      @Override
      public Configuration get() {
        if (hadoop == null) {
          hadoop = new Configuration();
        }
        return hadoop;
      }
    });
  }

  /** One line per missing input, naming the dataset, who should have written it, and the path. */
  public static List<String> missingInputs(TaskPlan task, RunContext run, Configuration hadoop) {
    return missingInputs(task, run, () -> hadoop);
  }

  private static List<String> missingInputs(TaskPlan task, RunContext run, Supplier<Configuration> hadoop) {
    List<String> missing = new ArrayList<>();
    for (DatasetRead read : task.reads()) {
      StorageSpec storage = run.resolve(read.storage(), read.dataset());
      // A catalog table's folder needs the catalog, so a session: checked when the task reads it.
      if (!storage.locationIsTableName()) {
        missing(read, storage, run, hadoop).ifPresent(missing::add);
      }
    }
    return missing;
  }

  /**
   * Why an input the task is about to read is missing, if it is: for a Delta dataset named by a
   * catalog table, once a session has {@linkplain DatasetStore#located located} its folder.
   */
  public static java.util.Optional<String> missing(DatasetRead read, StorageSpec located, RunContext run,
      Configuration hadoop) {
    return missing(read, located, run, () -> hadoop);
  }

  private static java.util.Optional<String> missing(DatasetRead read, StorageSpec storage, RunContext run,
      Supplier<Configuration> hadoop) {
    Contents found = storage.format() == StorageFormat.DELTA ? deltaContents(storage, hadoop.get())
        : contentsOf(storage.location(), hadoop);
    if (found == Contents.DATA) {
      return java.util.Optional.empty();
    }
    String from = read.producerTask().map(t -> "it is written by task '" + t + "': run that task first")
        .orElse("it is a source: check the upstream delivery for " + run.runDate());
    String what = storage.format() == StorageFormat.DELTA ? "has no data for run date " + run.runDate()
        + " in the Delta table " + storage.table().map(t -> t + " ").orElse("") + "at " + storage.location()
        : found == Contents.ABSENT ? "has no data at " + storage.location()
        : "has no data file at " + storage.location() + " (only empty files, hidden files or empty folders)";
    return java.util.Optional.of("input '" + read.dataset() + "' " + what + " (" + from + ")");
  }

  /**
   * A Delta input is there when its log holds the run date (see {@link DeltaLogScan}); a log whose
   * oldest commits were cleaned up and whose newer ones do not mention the date is given the benefit
   * of the doubt, and the read finds what is there.
   */
  private static Contents deltaContents(StorageSpec storage, Configuration hadoop) {
    Path table = new Path(storage.location());
    try {
      return DeltaLogScan.holds(table.getFileSystem(hadoop), table, storage.runDatePartition()) == DeltaLogScan.Holds.NO
          ? Contents.ABSENT : Contents.DATA;
    } catch (IOException | RuntimeException e) {
      // A log pre-flight cannot read is the read's to report, with the dataset's name and the reason.
      return Contents.DATA;
    }
  }

  /** What pre-flight found at an input's location. */
  enum Contents {
    /** Nothing there. */
    ABSENT,
    /** Something there, but no file with data: a data file is neither empty nor hidden ({@code .x}, {@code _x}). */
    EMPTY,
    /** A data file, or Spark's {@code _SUCCESS} (a complete output that may hold no rows). */
    DATA
  }

  static Contents contentsOf(String location, Supplier<Configuration> hadoop) {
    if (SCHEME.matcher(location).lookingAt() && !location.startsWith("file:")) {
      return contentsOf(new Path(location), hadoop.get());
    }
    return localContents(LocalPaths.of(location), hadoop);
  }

  private static Contents localContents(java.nio.file.Path path, Supplier<Configuration> hadoop) {
    java.nio.file.Path parent = path.toAbsolutePath().getParent();
    if (parent != null && mayNeedRepair(path, parent)) {
      // Rare: a publish stopped half-way. Hadoop is loaded only for this.
      PublishRepair.settle(new Path(path.toAbsolutePath().toUri().toString()), hadoop.get());
    }
    if (!Files.exists(path)) {
      return Contents.ABSENT;
    }
    if (Files.isDirectory(path) && Files.exists(path.resolve("_SUCCESS"))) {
      return Contents.DATA;
    }
    return hasLocalDataFile(path) ? Contents.DATA : Contents.EMPTY;
  }

  private static boolean mayNeedRepair(java.nio.file.Path path, java.nio.file.Path parent) {
    String name = path.getFileName().toString();
    if (Files.exists(parent.resolve("." + name + ".stepwise-publish"))) {
      return true;
    }
    if (Files.exists(path) || !Files.isDirectory(parent)) {
      return false;
    }
    try (DirectoryStream<java.nio.file.Path> aside = Files.newDirectoryStream(parent, "." + name + ".stepwise-previous-*")) {
      return aside.iterator().hasNext();
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean hasLocalDataFile(java.nio.file.Path path) {
    try {
      if (Files.isRegularFile(path)) {
        return Files.size(path) > 0;
      }
      if (!Files.isDirectory(path)) {
        return false;
      }
      try (DirectoryStream<java.nio.file.Path> children = Files.newDirectoryStream(path)) {
        for (java.nio.file.Path child : children) {
          if (!hidden(child.getFileName().toString()) && hasLocalDataFile(child)) {
            return true;
          }
        }
      }
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list input folder " + path + " during pre-flight checks", e);
    }
  }

  private static boolean hidden(String name) {
    return name.startsWith(".") || name.startsWith("_");
  }

  static Contents contentsOf(Path path, Configuration hadoop) {
    PublishRepair.settle(path, hadoop);
    try {
      FileSystem fs = path.getFileSystem(hadoop);
      if (!fs.exists(path)) {
        return Contents.ABSENT;
      }
      if (fs.getFileStatus(path).isDirectory() && fs.exists(new Path(path, "_SUCCESS"))) {
        return Contents.DATA;
      }
      return hasDataFile(fs, fs.getFileStatus(path)) ? Contents.DATA : Contents.EMPTY;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot look at input " + path + " during pre-flight checks: " + e.getMessage(), e);
    }
  }

  private static boolean hasDataFile(FileSystem fs, FileStatus status) throws IOException {
    if (status.isFile()) {
      return status.getLen() > 0;
    }
    for (FileStatus child : fs.listStatus(status.getPath())) {
      if (!hidden(child.getPath().getName()) && hasDataFile(fs, child)) {
        return true;
      }
    }
    return false;
  }
}
