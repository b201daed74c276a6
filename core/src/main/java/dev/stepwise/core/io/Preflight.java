package dev.stepwise.core.io;

import dev.stepwise.core.config.StorageFormat;
import dev.stepwise.core.config.StorageSpec;
import dev.stepwise.core.plan.DatasetRead;
import dev.stepwise.core.plan.TaskPlan;
import dev.stepwise.core.run.RunContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Checks, before any SparkSession starts, that every file input of a task is there: a missing
 * input should cost a retry seconds, not a Spark start-up. Tables are checked by Spark itself.
 */
public final class Preflight {
  private Preflight() {}

  /** One line per missing input, naming the dataset, who should have written it, and the path. */
  public static List<String> missingInputs(TaskPlan task, RunContext run, Configuration hadoop) {
    List<String> missing = new ArrayList<>();
    for (DatasetRead read : task.reads()) {
      StorageSpec storage = run.resolve(read.storage(), read.dataset());
      if (storage.format() == StorageFormat.TABLE) {
        continue;
      }
      if (!hasData(new Path(storage.location()), hadoop)) {
        String from = read.producerTask().map(t -> "it is written by task '" + t + "': run that task first")
            .orElse("it is a source: check the upstream delivery for " + run.runDate());
        missing.add("input '" + read.dataset() + "' has no data at " + storage.location() + " (" + from + ")");
      }
    }
    return missing;
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
