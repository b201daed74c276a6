package dev.stepwise.core.run;

import dev.stepwise.core.io.DatasetStore;
import dev.stepwise.core.io.RunLock;
import dev.stepwise.core.io.StagedOutput;
import dev.stepwise.core.io.StagingMarker;
import dev.stepwise.core.model.DatasetSpec;
import dev.stepwise.core.model.Expectation;
import dev.stepwise.core.model.RunContext;
import dev.stepwise.core.model.StepSpec;
import dev.stepwise.core.model.StorageSpec;
import dev.stepwise.core.plan.DatasetRead;
import dev.stepwise.core.plan.DatasetWrite;
import dev.stepwise.core.plan.TaskPlan;
import dev.stepwise.core.quality.CheckedDataset;
import dev.stepwise.core.quality.ExpectationFailedException;
import dev.stepwise.core.quality.ExpectationResult;
import dev.stepwise.core.quality.SchemaContract;
import dev.stepwise.core.step.StepInputs;
import dev.stepwise.core.step.StepOutputs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Runs one task in a SparkSession it is handed (it never creates or stops one): reads the task's
 * inputs, applies its steps in plan order keeping intermediates in memory, caches what several
 * steps read, stages every dataset the plan says to write, and publishes them all only when the
 * whole task succeeded.
 *
 * <p>It times the task as back-to-back {@link Phase}s (reading set-up, each step, each dataset
 * computed and written, publishing) and tags every Spark job with the task and step that caused it:
 * the job group is {@code task/step}, the description names the step or the dataset being written,
 * and the local properties {@code stepwise.task} and {@code stepwise.step} let a SparkListener
 * attribute work without parsing strings.
 */
public final class TaskRunner {
  /** Local properties every Spark job of a task carries: which task and step (or phase) caused it. */
  public static final String TASK_PROPERTY = "stepwise.task";
  public static final String STEP_PROPERTY = "stepwise.step";

  private final SparkSession spark;
  private final DatasetStore store;
  private final RunListener listener;

  public TaskRunner(SparkSession spark, RunListener listener) {
    this.spark = spark;
    this.store = new DatasetStore(spark);
    this.listener = listener;
  }

  /** Runs every step of the task; what an earlier failed run left staged is cleared first. */
  public TaskResult run(TaskPlan task, RunContext run) {
    return execute(task, run, false);
  }

  /**
   * Runs the task reusing what a failed run of the same task, run date and config left staged and
   * complete: steps whose staged outputs all match are skipped (see {@link ResumePlan}), the reused
   * data is published with the rest. With nothing reusable this is {@link #run}.
   */
  public TaskResult resume(TaskPlan task, RunContext run) {
    return execute(task, run, true);
  }

  private TaskResult execute(TaskPlan task, RunContext run, boolean resume) {
    long taskStart = System.nanoTime();
    PhaseClock clock = PhaseClock.startingNow(Optional.of(task.name()));
    listener.taskStarted(task.name(), task.steps().size());
    Map<String, Dataset<Row>> live = new HashMap<>();
    Map<String, Dataset<Row>> persisted = new LinkedHashMap<>();
    List<StagedOutput> staged = new ArrayList<>();
    List<WrittenDataset> written = new ArrayList<>();
    Set<String> cached = Set.copyOf(task.cached());
    List<CheckedDataset> checked = new ArrayList<>();
    Map<String, String> fingerprints = Fingerprints.of(task, run, store::stamp);
    Map<String, StagedOutput> reclaimed = new HashMap<>();
    RunLock lock = lockTargets(task, run, resume ? Optional.of(fingerprints) : Optional.empty(), reclaimed);
    ResumePlan plan = resume ? ResumePlan.of(task, reclaimed.keySet()) : ResumePlan.none(task);
    Staging staging = new Staging(task, run, fingerprints, checked);
    try {
      reclaimed.forEach((key, output) -> {
        if (!plan.reused().contains(key)) {
          output.discard(); // its step runs again and stages anew, in the same place
        }
      });
      tag(task.name(), "read", "stepwise " + task.name() + ": reading inputs");
      for (DatasetRead read : plan.reads()) {
        StorageSpec storage = run.resolve(read.storage(), read.dataset());
        Dataset<Row> data = store.read(storage, read.dataset());
        if (read.producerTask().isEmpty()) {
          data = accept(task, "(read)", read.dataset(), "read from " + storage.location(), data, run, staged,
              checked, staging);
        }
        live.put(read.dataset(), keep(read.dataset(), data, cached, persisted));
      }
      clock.lap("read inputs", PhaseKind.OVERHEAD);
      for (StepSpec step : task.steps()) {
        if (plan.skipped().contains(step.name())) {
          reuse(task, step, plan, reclaimed, live, cached, persisted, staged, written);
          // One phase name for every skipped step, so summaries add them up; the step is still attached.
          clock.lap("reuse staged outputs", PhaseKind.OVERHEAD, Optional.of(step.name()), Optional.empty());
          release(task, step, persisted);
          continue;
        }
        long stepStart = System.nanoTime();
        listener.stepStarted(task.name(), step.name());
        tag(task.name(), step.name(),
            "stepwise " + task.name() + ": step " + step.name() + " (" + step.type().name() + ")");
        StepOutputs outputs = apply(task, step, live);
        for (Map.Entry<String, String> binding : step.outputs().entrySet()) {
          String dataset = binding.getValue();
          Dataset<Row> data;
          try {
            data = accept(task, step.name(), dataset, "step '" + step.name() + "'", outputs.get(binding.getKey()),
                run, staged, checked, staging);
          } catch (RuntimeException e) {
            throw new StepFailedException(task.name(), step.name(), "", e);
          }
          live.put(dataset, keep(dataset, data, cached, persisted));
        }
        clock.lap("step " + step.name(), PhaseKind.COMPUTE, Optional.of(step.name()), Optional.empty());
        for (DatasetWrite write : task.writes()) {
          if (write.producerStep().equals(step.name())) {
            spark.sparkContext().setJobDescription("stepwise " + task.name() + ": step " + step.name()
                + " writes " + write.dataset());
            written.add(stage(task, step, write, live.get(write.dataset()), run, staged, staging));
            clock.lap("write " + write.dataset(), PhaseKind.COMPUTE, Optional.of(step.name()),
                Optional.of(write.dataset()));
          }
        }
        release(task, step, persisted);
        listener.stepFinished(task.name(), step.name(), Duration.ofNanos(System.nanoTime() - stepStart));
      }
      verifyExpectations(task, checked);
      tag(task.name(), "publish", "stepwise " + task.name() + ": publishing");
      checkBeforePublishing(task, staged);
      for (StagedOutput output : staged) {
        output.publish(run, task);
      }
    } catch (Exception e) {
      // Exception, not RuntimeException: Spark and Hadoop throw checked IOExceptions undeclared, through Scala.
      // Complete stagings stay for `run --resume`; the next run of this task and date clears or reuses them.
      staged.stream().filter(output -> !output.complete()).forEach(TaskRunner::discardQuietly);
      if (e instanceof StepFailedException stepFailure) {
        throw explained(stepFailure, task, run);
      }
      throw e;
    } finally {
      lock.close();
      persisted.values().forEach(Dataset::unpersist);
      spark.sparkContext().clearJobGroup();
      spark.sparkContext().setLocalProperty(TASK_PROPERTY, null);
      spark.sparkContext().setLocalProperty(STEP_PROPERTY, null);
    }
    clock.lap("publish", PhaseKind.OVERHEAD);
    TaskResult result = new TaskResult(task.name(), task.stepNames(), written,
        Duration.ofNanos(System.nanoTime() - taskStart), clock.phases(), List.copyOf(plan.skipped()));
    listener.taskFinished(result);
    return result;
  }

  /** A place the task publishes to; {@code key} names what is staged there (see {@link ResumePlan#staged}). */
  private record Target(String key, String dataset, StorageSpec storage, org.apache.hadoop.fs.Path path) {}

  /**
   * Locks every place the task publishes to, then clears what an earlier run left there; when
   * resuming, a complete staging that matches this run's fingerprints is kept in {@code reclaimed}.
   */
  private RunLock lockTargets(TaskPlan task, RunContext run, Optional<Map<String, String>> resumeWith,
      Map<String, StagedOutput> reclaimed) {
    List<Target> targets = new ArrayList<>();
    for (DatasetWrite write : task.writes()) {
      StorageSpec storage = run.resolve(write.storage(), write.dataset());
      targets.add(new Target(write.dataset(), write.dataset(), storage, store.targetOf(storage)));
    }
    for (var contract : task.contracts().values()) {
      for (Expectation e : contract.expectations()) {
        e.quarantine().ifPresent(q -> {
          StorageSpec storage = run.resolve(q, contract.name());
          targets.add(new Target(Fingerprints.quarantineKey(contract.name(), e), contract.name(), storage,
              store.targetOf(storage)));
        });
      }
    }
    RunLock lock = RunLock.acquire(targets.stream().map(Target::path).toList(), run.runId(),
        spark.sparkContext().hadoopConfiguration());
    try {
      for (Target target : targets) {
        if (target.storage().format() != dev.stepwise.core.model.StorageFormat.TABLE) {
          store.requireReplaceable(target.storage(), target.path(), target.dataset());
        }
        if (resumeWith.isEmpty()) {
          store.recover(target.path());
          continue;
        }
        String fingerprint = resumeWith.get().get(target.dataset());
        store.recover(target.path(), target.storage(), run.runId(),
                marker -> marker.matches(run.runDate(), task.name(), target.key(), fingerprint))
            .ifPresent(kept -> reclaimed.put(target.key(), kept));
      }
    } catch (RuntimeException e) {
      lock.close();
      throw e;
    }
    return lock;
  }

  /**
   * A step a resumed run skips: its staged outputs join this run's, and those a running step reads
   * are read back from staging.
   */
  private void reuse(TaskPlan task, StepSpec step, ResumePlan plan, Map<String, StagedOutput> reclaimed,
      Map<String, Dataset<Row>> live, Set<String> cached, Map<String, Dataset<Row>> persisted,
      List<StagedOutput> staged, List<WrittenDataset> written) {
    List<WrittenDataset> reused = new ArrayList<>();
    for (String dataset : step.outputs().values()) {
      for (String key : ResumePlan.staged(task, dataset)) {
        StagedOutput output = reclaimed.get(key);
        staged.add(output);
        if (key.equals(dataset)) {
          WrittenDataset w = new WrittenDataset(dataset, step.name(), output.location(), output.rows(), Duration.ZERO,
              output.reusedFrom().map(StagingMarker::runId));
          reused.add(w);
          written.add(w);
        }
      }
      if (plan.readBack().contains(dataset)) {
        live.put(dataset, keep(dataset, reclaimed.get(dataset).read(), cached, persisted));
      }
    }
    listener.stepReused(task.name(), step.name(), reused);
  }

  /** Marks staged data complete, for a resumed run, once it is whole and no check it depends on failed. */
  private static final class Staging {
    private static final Duration ROW_COUNT_GRACE = Duration.ofMillis(500);
    private final TaskPlan task;
    private final RunContext run;
    private final Map<String, String> fingerprints;
    private final List<CheckedDataset> checked;

    Staging(TaskPlan task, RunContext run, Map<String, String> fingerprints, List<CheckedDataset> checked) {
      this.task = task;
      this.run = run;
      this.fingerprints = fingerprints;
      this.checked = checked;
    }

    void markIfComplete(StagedOutput output, String step, String key, String dataset, Dataset<Row> data) {
      if (output.rows() < 0 || !checked.stream().allMatch(c -> c.knownToHold(ROW_COUNT_GRACE))) {
        return; // unknown is not complete: a resumed run recomputes it
      }
      output.markComplete(new StagingMarker(run.runDate(), run.runId(), task.name(), step, key, output.rows(),
          fingerprints.get(dataset), data.schema().json()));
    }
  }

  /**
   * Holds a dataset the task brings into being (read from a source, or produced by a step) to its
   * declared schema and expectations; rows an expectation drops into a quarantine are staged with
   * the task's other writes.
   */
  private Dataset<Row> accept(TaskPlan task, String step, String dataset, String source, Dataset<Row> data,
      RunContext run, List<StagedOutput> staged, List<CheckedDataset> checked, Staging staging) {
    DatasetSpec contract = task.contracts().get(dataset);
    if (contract == null) {
      return data;
    }
    Dataset<Row> result = data;
    if (contract.schema().isPresent()) {
      result = SchemaContract.conform(dataset, source, result,
          org.apache.spark.sql.types.StructType.fromDDL(contract.schema().get()));
    }
    if (contract.expectations().isEmpty()) {
      return result;
    }
    CheckedDataset check = CheckedDataset.apply(dataset, result, contract.expectations());
    checked.add(check);
    for (Map.Entry<Expectation, Dataset<Row>> quarantine : check.quarantines().entrySet()) {
      String name = Fingerprints.quarantineKey(dataset, quarantine.getKey());
      StorageSpec storage = run.resolve(quarantine.getKey().quarantine().orElseThrow(), dataset);
      StagedOutput output = store.stage(quarantine.getValue(), storage, name, run.runId());
      staged.add(output);
      staging.markIfComplete(output, step, name, dataset, quarantine.getValue());
    }
    return check.data();
  }

  /** Reports every expectation; a broken row count with action fail stops the task before publishing. */
  private void verifyExpectations(TaskPlan task, List<CheckedDataset> checked) {
    List<String> failures = new ArrayList<>();
    for (CheckedDataset check : checked) {
      for (ExpectationResult result : check.results()) {
        listener.expectationChecked(task.name(), result);
        if (!result.passed() && result.expectation().action() == Expectation.Action.FAIL) {
          failures.add(result.describe());
        }
      }
    }
    if (!failures.isEmpty()) {
      throw new ExpectationFailedException("task '" + task.name() + "': " + String.join("; ", failures));
    }
  }

  /**
   * Publishes all or nothing of what a guard or a foreign folder would stop: every output's place
   * must be free or Stepwise's, and every guarded dataset must keep enough rows.
   */
  private static void checkBeforePublishing(TaskPlan task, List<StagedOutput> staged) {
    List<String> refusals = new ArrayList<>();
    for (StagedOutput output : staged) {
      output.requireReplaceable();
      DatasetSpec spec = task.contracts().get(output.dataset());
      if (spec != null && spec.guard().isPresent()) {
        output.refusedBy(spec.guard().get()).ifPresent(refusals::add);
      }
    }
    if (!refusals.isEmpty()) {
      throw new GuardFailedException("task '" + task.name() + "' published nothing: " + String.join("; ", refusals));
    }
  }

  /** A step failure caused by a bad record in a source names that source. */
  private static StepFailedException explained(StepFailedException failure, TaskPlan task, RunContext run) {
    Map<String, String> sources = new LinkedHashMap<>();
    for (DatasetRead read : task.reads()) {
      if (read.producerTask().isEmpty()) {
        sources.put(run.resolve(read.storage(), read.dataset()).location(), read.dataset());
      }
    }
    return BadSourceRecord.explain(failure, sources)
        .map(detail -> new StepFailedException(failure.task(), failure.step(), "", detail, failure.getCause()))
        .orElse(failure);
  }

  private void tag(String task, String step, String description) {
    spark.sparkContext().setJobGroup(task + "/" + step, description, false);
    spark.sparkContext().setLocalProperty(TASK_PROPERTY, task);
    spark.sparkContext().setLocalProperty(STEP_PROPERTY, step);
  }

  private StepOutputs apply(TaskPlan task, StepSpec step, Map<String, Dataset<Row>> live) {
    Map<String, Dataset<Row>> inputs = new LinkedHashMap<>();
    step.inputs().forEach((role, dataset) -> inputs.put(role, live.get(dataset)));
    StepOutputs outputs;
    try {
      outputs = step.step().apply(StepInputs.of(inputs));
    } catch (Exception e) { // a step may trigger Spark analysis, which can throw checked exceptions undeclared
      throw new StepFailedException(task.name(), step.name(), "", e);
    }
    if (!outputs.roles().equals(step.outputs().keySet())) {
      throw new StepFailedException(task.name(), step.name(), "", new IllegalStateException(
          "it produced outputs " + outputs.roles() + " but its type '" + step.type().name() + "' declares "
              + step.outputs().keySet()));
    }
    return outputs;
  }

  private WrittenDataset stage(TaskPlan task, StepSpec step, DatasetWrite write, Dataset<Row> data,
      RunContext run, List<StagedOutput> staged, Staging staging) {
    StorageSpec storage = run.resolve(write.storage(), write.dataset());
    long start = System.nanoTime();
    StagedOutput output;
    try {
      output = store.stage(data, storage, write.dataset(), run.runId());
      staged.add(output);
      staging.markIfComplete(output, step.name(), write.dataset(), write.dataset(), data);
    } catch (Exception e) { // checked IOExceptions arrive undeclared from Hadoop through Spark
      throw new StepFailedException(task.name(), step.name(), "while writing '" + write.dataset() + "'", e);
    }
    WrittenDataset result = new WrittenDataset(write.dataset(), step.name(), storage.location(), output.rows(),
        Duration.ofNanos(System.nanoTime() - start));
    listener.datasetWritten(task.name(), result);
    return result;
  }

  private static Dataset<Row> keep(String dataset, Dataset<Row> data, Set<String> cached,
      Map<String, Dataset<Row>> persisted) {
    if (!cached.contains(dataset)) {
      return data;
    }
    Dataset<Row> kept = data.persist(StorageLevel.MEMORY_AND_DISK());
    persisted.put(dataset, kept);
    return kept;
  }

  private static void release(TaskPlan task, StepSpec step, Map<String, Dataset<Row>> persisted) {
    task.releaseAfter().forEach((dataset, lastStep) -> {
      if (step.name().equals(lastStep)) {
        Dataset<Row> data = persisted.remove(dataset);
        if (data != null) {
          data.unpersist();
        }
      }
    });
  }

  private static void discardQuietly(StagedOutput output) {
    try {
      output.discard();
    } catch (RuntimeException suppressed) {
      // The task's own failure is the error to report; a leftover hidden staging folder is harmless.
    }
  }
}
