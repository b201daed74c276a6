package dev.stepwise.entrypoint.cli;

import dev.stepwise.core.io.DatasetStore;
import dev.stepwise.core.io.DeltaHistory;
import dev.stepwise.core.io.SessionSettings;
import dev.stepwise.core.io.StepwiseCommit;
import dev.stepwise.core.io.TableCommit;
import dev.stepwise.core.model.PipelineConfig;
import dev.stepwise.core.model.RunContext;
import dev.stepwise.core.model.StorageFormat;
import dev.stepwise.core.model.StorageSpec;
import dev.stepwise.core.problem.Suggestions;
import dev.stepwise.entrypoint.render.Json;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "history", description = "List the versions of a Delta dataset, each with the Stepwise run that wrote it.")
final class HistoryCommand implements Callable<Integer> {
  enum Format { text, json }

  @Mixin PipelineOptions options;
  @Spec CommandSpec spec;
  @ParentCommand StepwiseCli root;

  @Parameters(index = "0", paramLabel = "DATASET", description = "A dataset of the pipeline stored with format = delta.")
  String dataset;

  @Option(names = "--run-date", paramLabel = "YYYY-MM-DD", description = "For a dataset whose path holds {run_date}: which date's table.")
  LocalDate runDate;

  @Option(names = "--var", paramLabel = "KEY=VALUE", description = "A value for a {KEY} placeholder in the dataset's path.")
  Map<String, String> vars = new LinkedHashMap<>();

  @Option(names = "--format", defaultValue = "text", description = "One of: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Format format;

  @Override
  public Integer call() {
    PipelineConfig pipeline = options.pipeline();
    options.grouping(pipeline); // a bad --grouping is a usage error here too
    StorageSpec storage = deltaStorage(pipeline, dataset);
    if (runDate == null && storage.location().contains("{run_date}")) {
      throw new UsageException("dataset '" + dataset + "' has one Delta table per run date (its path holds {run_date}):"
          + " pass --run-date YYYY-MM-DD");
    }
    StorageSpec resolved = RunContext.of(runDate != null ? runDate : LocalDate.now(ZoneOffset.UTC), vars)
        .resolve(storage, dataset);
    PrintWriter out = spec.commandLine().getOut();
    SparkSession spark = root.sessions().open("stepwise:" + pipeline.name() + ":history " + dataset,
        SessionSettings.of(pipeline, Map.of()));
    List<TableCommit> commits;
    String location;
    try {
      location = new DatasetStore(spark).located(resolved, dataset).location();
      DeltaHistory history = new DeltaHistory(spark);
      if (!history.exists(location)) {
        PrintWriter err = spec.commandLine().getErr();
        err.println(history.holdsOtherData(location)
            ? "stepwise: dataset '" + dataset + "' is declared delta, but " + location + " holds other data (no _delta_log):"
                + " move that data away, or declare the format it has"
            : "stepwise: dataset '" + dataset + "' has no Delta table at " + location
                + " yet: a run of the task that writes it creates it");
        err.flush();
        return ExitCodes.RUN_FAILED;
      }
      commits = history.commits(location);
    } finally {
      root.sessions().close(spark);
    }
    // Newest first in both formats, as Delta's own DESCRIBE HISTORY lists them.
    List<TableCommit> newestFirst = new java.util.ArrayList<>(commits);
    java.util.Collections.reverse(newestFirst);
    String where = resolved.table().map(name -> name + " at ").orElse("at ") + location;
    out.print(format == Format.json ? Json.write(json(location, resolved, newestFirst)) + "\n" : text(where, newestFirst));
    out.flush();
    return ExitCodes.OK;
  }

  /**
   * The dataset's storage when it is a Delta dataset.
   *
   * @throws UsageException naming what the dataset is instead and which datasets are Delta
   */
  static StorageSpec deltaStorage(PipelineConfig pipeline, String dataset) {
    List<String> deltaDatasets = pipeline.datasets().keySet().stream()
        .filter(name -> pipeline.storageOf(name).map(s -> s.format() == StorageFormat.DELTA).orElse(false)).toList();
    String which = deltaDatasets.isEmpty() ? "; the pipeline has no Delta dataset (set format = delta in a dataset's storage)"
        : "; its Delta datasets: " + String.join(", ", deltaDatasets);
    if (!pipeline.datasets().containsKey(dataset)) {
      throw new UsageException("pipeline '" + pipeline.name() + "' has no dataset '" + dataset + "'"
          + Suggestions.didYouMean(dataset, pipeline.datasets().keySet()) + which);
    }
    Optional<StorageSpec> storage = pipeline.storageOf(dataset);
    if (storage.isEmpty() || storage.get().format() != StorageFormat.DELTA) {
      String is = storage.map(s -> "stored as " + s.format().configName()).orElse("kept in memory (no storage)");
      throw new UsageException("dataset '" + dataset + "' is " + is + ", not delta: only Delta datasets keep a history;"
          + " to get one, set format = delta in its storage" + which);
    }
    return storage.get().forDataset(dataset);
  }

  private String text(String where, List<TableCommit> newestFirst) {
    StringBuilder out = new StringBuilder();
    out.append(String.format("history of %s (Delta table %s): %d version%s%n", dataset, where, newestFirst.size(),
        newestFirst.size() == 1 ? "" : "s"));
    out.append(String.format("%-8s %-24s %-18s %s%n", "version", "timestamp", "operation", "written by"));
    for (TableCommit c : newestFirst) {
      out.append(String.format("%-8d %-24s %-18s %s%n", c.version(), c.timestamp(), c.operation(), writer(c)));
    }
    return out.toString();
  }

  private static String writer(TableCommit commit) {
    if (commit.run().isEmpty()) {
      return "not Stepwise";
    }
    StepwiseCommit run = commit.run().get();
    String date = run.runDate().map(LocalDate::toString).orElse("none");
    if (run.isRollback()) {
      return "stepwise rollback of version " + run.rollbackOfVersion().getAsLong() + " (task " + run.task()
          + ", run date " + date + ")";
    }
    return "task " + run.task() + ", run date " + date + ", run " + run.runId() + " (grouping " + run.grouping()
        + ", config " + run.configFingerprint() + ")";
  }

  private Map<String, Object> json(String location, StorageSpec resolved, List<TableCommit> newestFirst) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("dataset", dataset);
    doc.put("location", location);
    doc.put("table", resolved.table().orElse(null));
    doc.put("versions", newestFirst.stream().map(c -> {
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("version", c.version());
      v.put("timestamp", c.timestamp().toString());
      v.put("operation", c.operation());
      v.put("stepwise", c.run().map(HistoryCommand::runJson).orElse(null));
      return v;
    }).toList());
    return doc;
  }

  private static Map<String, Object> runJson(StepwiseCommit run) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("pipeline", run.pipeline());
    m.put("grouping", run.grouping());
    m.put("task", run.task());
    m.put("run_id", run.runId());
    m.put("run_date", run.runDate().map(LocalDate::toString).orElse(null));
    m.put("config_fingerprint", run.configFingerprint());
    m.put("dataset", run.dataset());
    m.put("rollback_of_version", run.rollbackOfVersion().isPresent() ? run.rollbackOfVersion().getAsLong() : null);
    return m;
  }
}
