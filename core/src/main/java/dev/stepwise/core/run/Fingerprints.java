package dev.stepwise.core.run;

import dev.stepwise.core.model.DatasetSpec;
import dev.stepwise.core.model.Expectation;
import dev.stepwise.core.model.RunContext;
import dev.stepwise.core.model.StepSpec;
import dev.stepwise.core.model.StorageSpec;
import dev.stepwise.core.plan.DatasetRead;
import dev.stepwise.core.plan.DatasetWrite;
import dev.stepwise.core.plan.TaskPlan;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A digest, per dataset a task brings into being, of everything inside the task that decides its
 * rows: the run's date and variables, the task, the producing step (type, parameters, bindings,
 * implementing class) and, recursively, the steps before it in the task, the contracts of every
 * dataset on the way, and for each input read from storage its location, options and a stamp of its
 * files. Staged data of a failed run is reused only under an equal digest, so a changed parameter,
 * run date or re-published input means recomputing. The step's code itself is not digested beyond
 * its class name: resume with the build that failed.
 */
final class Fingerprints {
  private final TaskPlan task;
  private final RunContext run;
  private final Function<StorageSpec, String> stamp;
  private final Map<String, String> byDataset = new HashMap<>();

  private Fingerprints(TaskPlan task, RunContext run, Function<StorageSpec, String> stamp) {
    this.task = task;
    this.run = run;
    this.stamp = stamp;
  }

  /**
   * @param stamp what is known of an input's files without reading them (resolved storage in)
   * @return dataset -> digest for every input and step output of the task
   */
  static Map<String, String> of(TaskPlan task, RunContext run, Function<StorageSpec, String> stamp) {
    Fingerprints f = new Fingerprints(task, run, stamp);
    String context = "run " + new TreeMap<>(run.values()) + "\ntask " + task.name();
    for (DatasetRead read : task.reads()) {
      StorageSpec storage = run.resolve(read.storage(), read.dataset());
      f.byDataset.put(read.dataset(), digest(context, "read " + read.dataset(), storage(storage),
          "stamp " + stamp.apply(storage), contract(task.contracts().get(read.dataset()))));
    }
    for (StepSpec step : task.steps()) {
      StringBuilder inputs = new StringBuilder();
      step.inputs().forEach((role, dataset) -> inputs.append(role).append('=').append(dataset).append(' ')
          .append(f.byDataset.getOrDefault(dataset, "unknown")).append('\n'));
      String stepDigest = digest(context, "step " + step.name(), "type " + step.type().name(),
          "class " + step.step().getClass().getName(), "params " + step.params(), "inputs\n" + inputs);
      step.outputs().forEach((role, dataset) -> f.byDataset.put(dataset, digest(stepDigest, "output " + role + "="
          + dataset, contract(task.contracts().get(dataset)), written(task, dataset, run))));
    }
    return Map.copyOf(f.byDataset);
  }

  /** The key under which the rows a drop rule set aside are staged and fingerprinted. */
  static String quarantineKey(String dataset, Expectation expectation) {
    return dataset + "." + expectation.name();
  }

  private static String written(TaskPlan task, String dataset, RunContext run) {
    return task.writes().stream().filter(w -> w.dataset().equals(dataset)).findFirst()
        .map(DatasetWrite::storage).map(s -> "written to " + storage(run.resolve(s, dataset))).orElse("in memory");
  }

  private static String storage(StorageSpec s) {
    return s.format() + " " + s.location() + " options " + new TreeMap<>(s.options()) + " schema "
        + s.schema().orElse("") + " partition_by " + s.partitionBy();
  }

  private static String contract(DatasetSpec contract) {
    if (contract == null) {
      return "no contract";
    }
    StringBuilder text = new StringBuilder("schema " + contract.schema().orElse(""));
    for (Expectation e : contract.expectations()) {
      text.append("\nexpect ").append(e.name()).append(' ').append(e.describe()).append(' ').append(e.action())
          .append(" quarantine ").append(e.quarantine().map(Fingerprints::storage).orElse("none"));
    }
    return text.toString();
  }

  private static String digest(String... parts) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String part : parts) {
        sha.update(part.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }
}
