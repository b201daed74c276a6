package dev.stepwise.core.io;

import dev.stepwise.core.config.StorageFormat;
import dev.stepwise.core.config.StorageSpec;
import dev.stepwise.core.plan.DatasetRead;
import dev.stepwise.core.plan.TaskPlan;
import dev.stepwise.core.run.RunContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
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
      if (storage.format() == StorageFormat.TABLE) {
        continue;
      }
      if (!hasData(storage.location(), hadoop)) {
        String from = read.producerTask().map(t -> "it is written by task '" + t + "': run that task first")
            .orElse("it is a source: check the upstream delivery for " + run.runDate());
        missing.add("input '" + read.dataset() + "' has no data at " + storage.location() + " (" + from + ")");
      }
    }
    return missing;
  }

  private static boolean hasData(String location, Supplier<Configuration> hadoop) {
    if (location.startsWith("file:")) {
      return hasLocalData(java.nio.file.Path.of(URI.create(location)));
    }
    if (SCHEME.matcher(location).lookingAt()) {
      return hasData(new Path(location), hadoop.get());
    }
    return hasLocalData(java.nio.file.Path.of(location));
  }

  private static boolean hasLocalData(java.nio.file.Path path) {
    if (Files.isRegularFile(path)) {
      return true;
    }
    if (!Files.isDirectory(path)) {
      return false;
    }
    try (DirectoryStream<java.nio.file.Path> children = Files.newDirectoryStream(path)) {
      for (java.nio.file.Path child : children) {
        String name = child.getFileName().toString();
        if (!name.startsWith(".") && !name.startsWith("_")) {
          return true;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list input folder " + path + " during pre-flight checks", e);
    }
    // An empty output written by Spark still carries its _SUCCESS marker: empty, but complete.
    return Files.exists(path.resolve("_SUCCESS"));
  }

  private static boolean hasData(Path path, Configuration hadoop) {
    try {
      FileSystem fs = path.getFileSystem(hadoop);
      if (!fs.exists(path)) {
        return false;
      }
      if (fs.getFileStatus(path).isFile()) {
        return true;
      }
      for (FileStatus child : fs.listStatus(path)) {
        String name = child.getPath().getName();
        if (!name.startsWith(".") && !name.startsWith("_")) {
          return true;
        }
      }
      // An empty output written by Spark still carries its _SUCCESS marker: empty, but complete.
      return fs.exists(new Path(path, "_SUCCESS"));
    } catch (IOException e) {
      return false;
    }
  }
}
