package dev.stepwise.core.run;

import dev.stepwise.core.io.DatasetStore;
import dev.stepwise.core.io.Preflight;
import dev.stepwise.core.io.RunLock;
import dev.stepwise.core.io.StagedOutput;
import dev.stepwise.core.io.StagingMarker;
import dev.stepwise.core.model.DatasetSpec;
import dev.stepwise.core.model.Expectation;
import dev.stepwise.core.model.RunContext;
import dev.stepwise.core.model.StepSpec;
import dev.stepwise.core.model.StorageFormat;
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
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * One run of one task: it owns the datasets the task holds in memory, those it cached, those it
 * staged (its own, and a failed run's it took over) and those it wrote, from the task's start to
 * its publish. A written dataset the plan says to read back is replaced, once staged, by its staged
 * files. Used once; {@link TaskRunner} makes one per task.
 */
final class TaskExecution {
  /** A staged dataset counts as complete only when its checks are known to hold within this wait. */
  private static final Duration ROW_COUNT_GRACE = Duration.ofMillis(500);

  private final SparkSession spark;
  private final DatasetStore store;
  private final RunListener listener;
  private final TaskPlan task;
  private final RunContext run;
  private final long startNanos;
  private final PhaseClock clock;
  private final Map<String, String> fingerprints;
  private final BoundaryFiles boundaryFiles;
  /** Every dataset a step may read next, by name: read, computed, or read back from staging. */
  private final Map<String, Dataset<Row>> live = new HashMap<>();
  /** The cached ones among them, until the last step that reads them is done. */
  private final Map<String, Dataset<Row>> persisted = new LinkedHashMap<>();
  /** Published together once every step passed: this run's stagings and those reused from a failed run. */
  private final List<StagedOutput> staged = new ArrayList<>();
  /** Complete stagings of a failed run of this task and date that match this run, by staged key. */
  private final Map<String, StagedOutput> reclaimed = new HashMap<>();
  private final List<WrittenDataset> written = new ArrayList<>();
  private final List<CheckedDataset> checked = new ArrayList<>();
  /** Stagings waiting for unique keys to be checked on written files before they can count as complete. */
  private final List<PendingMark> unmarked = new ArrayList<>();

  private TaskExecution(SparkSession spark, DatasetStore store, RunListener listener, TaskPlan task, RunContext run,
      long startNanos, PhaseClock clock) {
    this.spark = spark;
    this.store = store;
    this.listener = listener;
    this.task = task;
    this.run = run;
    this.startNanos = startNanos;
    this.clock = clock;
    this.fingerprints = Fingerprints.of(task, run, store::stamp);
    this.boundaryFiles = BoundaryFiles.of(spark);
  }

  /** Starts the task's clock and tells the listener; the digests of its inputs are taken after that. */
  static TaskExecution begin(SparkSession spark, DatasetStore store, RunListener listener, TaskPlan task,
      RunContext run) {
    long startNanos = System.nanoTime();
    PhaseClock clock = PhaseClock.startingNow(Optional.of(task.name()));
    listener.taskStarted(task.name(), task.steps().size());
    return new TaskExecution(spark, store, listener, task, run, startNanos, clock);
  }

  /** @param resume whether to reuse what a failed run left staged and complete (see {@link ResumePlan}) */
  TaskResult execute(boolean resume) {
    RunLock lock = lockTargets(resume);
    ResumePlan plan = resume ? ResumePlan.of(task, reclaimed.keySet()) : ResumePlan.none(task);
    try {
      runSteps(plan);
      publish();
    } catch (Exception e) {
      // Exception, not RuntimeException: Spark and Hadoop throw checked IOExceptions undeclared, through Scala.
      // Complete stagings stay for `run --resume`; the next run of this task and date clears or reuses them.
      staged.stream().filter(output -> !output.complete()).forEach(TaskExecution::discardQuietly);
      if (e instanceof StepFailedException stepFailure) {
        throw explained(stepFailure);
      }
      throw e;
    } finally {
      lock.close();
      persisted.values().forEach(Dataset::unpersist);
      untag();
    }
    clock.lap("publish", PhaseKind.OVERHEAD);
    TaskResult result = new TaskResult(task.name(), task.stepNames(), written,
        Duration.ofNanos(System.nanoTime() - startNanos), clock.phases(),
        task.stepNames().stream().filter(plan.skipped()::contains).toList()); // in task order, not a set's
    listener.taskFinished(result);
    return result;
  }

  /** A place the task publishes to; {@code key} names what is staged there (see {@link ResumePlan#staged}). */
  private record Target(String key, String dataset, StorageSpec storage, org.apache.hadoop.fs.Path path) {}

  /**
   * Locks every place the task publishes to, then clears what an earlier run left there; when
   * resuming, a complete staging that matches this run's fingerprints is kept in {@link #reclaimed}.
   */
  private RunLock lockTargets(boolean resume) {
    List<Target> targets = targets();
    RunLock lock = RunLock.acquire(targets.stream().map(Target::path).toList(), run.runId(),
        spark.sparkContext().hadoopConfiguration());
    try {
      for (Target target : targets) {
        settle(target, resume);
      }
    } catch (RuntimeException e) {
      lock.close();
      throw e;
    }
    return lock;
  }

  private List<Target> targets() {
    List<Target> targets = new ArrayList<>();
    for (DatasetWrite write : task.writes()) {
      StorageSpec storage = store.located(run.resolve(write.storage(), write.dataset()), write.dataset());
      targets.add(new Target(write.dataset(), write.dataset(), storage, store.targetOf(storage)));
    }
    for (DatasetSpec contract : task.contracts().values()) {
      for (Expectation e : contract.expectations()) {
        e.quarantine().ifPresent(q -> {
          StorageSpec storage = run.resolve(q, contract.name());
          targets.add(new Target(Fingerprints.quarantineKey(contract.name(), e), contract.name(), storage,
              store.targetOf(storage)));
        });
      }
    }
    return targets;
  }

  private void settle(Target target, boolean resume) {
    if (target.storage().format() != StorageFormat.TABLE) {
      store.requireReplaceable(target.storage(), target.path(), target.dataset());
    }
    if (!resume) {
      store.recover(target.path());
      return;
    }
    String fingerprint = fingerprints.get(target.dataset());
    store.recover(target.path(), target.storage(), run.runId(),
            marker -> marker.matches(run.runDate(), task.name(), target.key(), fingerprint))
        .ifPresent(kept -> reclaimed.put(target.key(), kept));
  }

  private void runSteps(ResumePlan plan) {
    reclaimed.forEach((key, output) -> {
      if (!plan.reused().contains(key)) {
        output.discard(); // its step runs again and stages anew, in the same place
      }
    });
    readInputs(plan.reads());
    for (StepSpec step : task.steps()) {
      if (plan.skipped().contains(step.name())) {
        reuse(step, plan.readBack());
      } else {
        runStep(step);
      }
    }
    verifyExpectations();
  }

  private void readInputs(List<DatasetRead> reads) {
    tag("read", "stepwise " + task.name() + ": reading inputs");
    for (DatasetRead read : reads) {
      StorageSpec storage = run.resolve(read.storage(), read.dataset());
      if (storage.isUnlocatedTable()) { // pre-flight could not look into the catalog before the session
        StorageSpec located = store.located(storage, read.dataset());
        Preflight.missing(read, located, run, spark.sparkContext().hadoopConfiguration()).ifPresent(missing -> {
          throw new MissingInputException(task.name(), Map.of(task.name(), List.of(missing)));
        });
        storage = located;
      }
      Dataset<Row> data = store.read(storage, read.dataset());
      if (read.producerTask().isEmpty()) {
        data = accept("(read)", read.dataset(), "read from " + storage.location(), data, false);
      }
      keepLive(read.dataset(), data);
    }
    clock.lap("read inputs", PhaseKind.OVERHEAD);
  }

  private void runStep(StepSpec step) {
    long stepStart = System.nanoTime();
    listener.stepStarted(task.name(), step.name());
    tag(step.name(), "stepwise " + task.name() + ": step " + step.name() + " (" + step.type().name() + ")");
    StepOutputs outputs = apply(step);
    step.outputs().forEach((role, dataset) -> keepLive(dataset, acceptOutput(step, dataset, outputs.get(role))));
    clock.lap("step " + step.name(), PhaseKind.COMPUTE, Optional.of(step.name()), Optional.empty());
    for (DatasetWrite write : task.writes()) {
      if (write.producerStep().equals(step.name())) {
        spark.sparkContext().setJobDescription("stepwise " + task.name() + ": step " + step.name()
            + " writes " + write.dataset());
        written.add(stage(step, write));
        clock.lap("write " + write.dataset(), PhaseKind.COMPUTE, Optional.of(step.name()),
            Optional.of(write.dataset()));
      }
    }
    release(step);
    listener.stepFinished(task.name(), step.name(), Duration.ofNanos(System.nanoTime() - stepStart));
  }

  private StepOutputs apply(StepSpec step) {
    Map<String, Dataset<Row>> inputs = new LinkedHashMap<>();
    step.inputs().forEach((role, dataset) -> inputs.put(role, live.get(dataset)));
    StepOutputs outputs;
    try {
      outputs = step.step().apply(StepInputs.of(inputs));
    } catch (Exception e) { // a step may trigger Spark analysis, which can throw checked exceptions undeclared
      throw new StepFailedException(task.name(), step.name(), "in its type '" + step.type().name() + "'", e);
    }
    if (!outputs.roles().equals(step.outputs().keySet())) {
      throw new StepFailedException(task.name(), step.name(), "to produce its declared outputs",
          new IllegalStateException("it produced outputs " + outputs.roles() + " but its type '"
              + step.type().name() + "' declares " + step.outputs().keySet()));
    }
    return outputs;
  }

  private Dataset<Row> acceptOutput(StepSpec step, String dataset, Dataset<Row> data) {
    try {
      boolean writtenExactly = task.writes().stream().anyMatch(w -> w.dataset().equals(dataset) && w.stagedExactly());
      return accept(step.name(), dataset, "step '" + step.name() + "'", data, writtenExactly);
    } catch (RuntimeException e) {
      throw new StepFailedException(task.name(), step.name(), "while checking '" + dataset + "' against its contract",
          e);
    }
  }

  /**
   * Holds a dataset the task brings into being (read from a source, or produced by a step) to its
   * declared schema and expectations; rows an expectation drops into a quarantine are staged with
   * the task's other writes. {@code writtenExactly}: the task writes it, right after this step, to
   * files that keep every value, so its unique rules may be checked there ({@link CheckedDataset}).
   */
  private Dataset<Row> accept(String step, String dataset, String source, Dataset<Row> data,
      boolean writtenExactly) {
    DatasetSpec contract = task.contracts().get(dataset);
    if (contract == null) {
      return data;
    }
    Dataset<Row> result = contract.schema()
        .map(ddl -> SchemaContract.conform(dataset, source, data, StructType.fromDDL(ddl)))
        .orElse(data);
    if (contract.expectations().isEmpty()) {
      return result;
    }
    CheckedDataset check = CheckedDataset.apply(dataset, result, contract.expectations(), writtenExactly);
    checked.add(check);
    check.quarantines().forEach((expectation, rows) -> stageQuarantine(step, dataset, expectation, rows));
    return check.data();
  }

  private void stageQuarantine(String step, String dataset, Expectation expectation, Dataset<Row> rows) {
    String key = Fingerprints.quarantineKey(dataset, expectation);
    StorageSpec storage = run.resolve(expectation.quarantine().orElseThrow(), dataset);
    StagedOutput output = store.stage(rows, storage, key, run.runId());
    staged.add(output);
    markIfComplete(output, step, key, dataset, rows.schema().json());
  }

  private WrittenDataset stage(StepSpec step, DatasetWrite write) {
    StorageSpec storage = run.resolve(write.storage(), write.dataset());
    Dataset<Row> data = live.get(write.dataset());
    long start = System.nanoTime();
    StagedOutput output;
    try {
      output = store.stage(boundaryFiles.arrange(data, write, spark), storage, write.dataset(), run.runId());
      staged.add(output);
    } catch (Exception e) { // checked IOExceptions arrive undeclared from Hadoop through Spark
      throw new StepFailedException(task.name(), step.name(), "while writing '" + write.dataset() + "'", e);
    }
    checkWrittenKeys(step, write.dataset(), output, data.schema());
    try {
      markIfComplete(output, step.name(), write.dataset(), write.dataset(), data.schema().json());
      if (task.readBack().contains(write.dataset())) {
        // Later steps read what was just written: the write computed it, nothing computes it again.
        live.put(write.dataset(), output.readWritten(data.schema()));
      }
    } catch (Exception e) {
      throw new StepFailedException(task.name(), step.name(), "while writing '" + write.dataset() + "'", e);
    }
    WrittenDataset result = new WrittenDataset(write.dataset(), step.name(), storage.location(), output.rows(),
        Duration.ofNanos(System.nanoTime() - start));
    listener.datasetWritten(task.name(), result);
    return result;
  }

  /**
   * The unique rules of a dataset just written that were left to its files, checked before any
   * later step runs; the stagings that waited for them are then marked complete if they now hold.
   */
  private void checkWrittenKeys(StepSpec step, String dataset, StagedOutput output, StructType schema) {
    List<CheckedDataset> pending = checked.stream().filter(c -> c.dataset().equals(dataset) && c.keysPending())
        .toList();
    if (pending.isEmpty()) {
      return;
    }
    spark.sparkContext().setJobDescription("stepwise " + task.name() + ": step " + step.name()
        + " checks the unique keys of " + dataset);
    try {
      pending.forEach(check -> check.checkKeys(output.readWritten(schema)));
    } catch (Exception e) { // an AnalysisException arrives undeclared through Spark
      throw new StepFailedException(task.name(), step.name(), "while checking '" + dataset + "' against its contract",
          e);
    }
    List<PendingMark> waited = List.copyOf(unmarked);
    unmarked.clear();
    waited.forEach(mark -> markIfComplete(mark.output(), mark.step(), mark.key(), mark.dataset(), mark.schema()));
  }

  /** A staging that could not be marked complete yet because a check it depends on was still unknown. */
  private record PendingMark(StagedOutput output, String step, String key, String dataset, String schema) {}

  /** Marks staged data complete, for a resumed run, once it is whole and no check it depends on failed. */
  private void markIfComplete(StagedOutput output, String step, String key, String dataset, String schema) {
    if (output.rows() < 0) {
      return; // unknown is not complete: a resumed run recomputes it
    }
    if (!checked.stream().allMatch(c -> c.knownToHold(ROW_COUNT_GRACE))) {
      if (checked.stream().anyMatch(CheckedDataset::keysPending)) {
        unmarked.add(new PendingMark(output, step, key, dataset, schema)); // known once the keys are checked
      }
      return;
    }
    output.markComplete(new StagingMarker(run.runDate(), run.runId(), task.name(), step, key, output.rows(),
        fingerprints.get(dataset), schema));
  }

  /**
   * A step a resumed run skips: its staged outputs join this run's, and those a running step reads
   * are read back from staging.
   */
  private void reuse(StepSpec step, Set<String> readBack) {
    List<WrittenDataset> reused = new ArrayList<>();
    for (String dataset : step.outputs().values()) {
      for (String key : ResumePlan.staged(task, dataset)) {
        StagedOutput output = reclaimed.get(key);
        staged.add(output);
        if (key.equals(dataset)) {
          reused.add(new WrittenDataset(dataset, step.name(), output.location(), output.rows(), Duration.ZERO,
              output.reusedFrom().map(StagingMarker::runId)));
        }
      }
      if (readBack.contains(dataset)) {
        keepLive(dataset, reclaimed.get(dataset).read());
      }
    }
    written.addAll(reused);
    listener.stepReused(task.name(), step.name(), reused);
    // One phase name for every skipped step, so summaries add them up; the step is still attached.
    clock.lap("reuse staged outputs", PhaseKind.OVERHEAD, Optional.of(step.name()), Optional.empty());
    release(step);
  }

  /** Reports every expectation; a broken row count with action fail stops the task before publishing. */
  private void verifyExpectations() {
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
  private void publish() {
    tag("publish", "stepwise " + task.name() + ": publishing");
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
    for (StagedOutput output : staged) {
      output.publish(run, task);
    }
  }

  /** A step failure caused by a bad record in a source names that source. */
  private StepFailedException explained(StepFailedException failure) {
    Map<String, String> sources = new LinkedHashMap<>();
    for (DatasetRead read : task.reads()) {
      if (read.producerTask().isEmpty()) {
        sources.put(run.resolve(read.storage(), read.dataset()).location(), read.dataset());
      }
    }
    return BadSourceRecord.explain(failure, sources)
        .map(detail -> new StepFailedException(failure.task(), failure.step(), failure.what(), detail,
            failure.getCause()))
        .orElse(failure);
  }

  private void keepLive(String dataset, Dataset<Row> data) {
    if (!task.cached().contains(dataset)) {
      live.put(dataset, data);
      return;
    }
    Dataset<Row> kept = data.persist(StorageLevel.MEMORY_AND_DISK());
    persisted.put(dataset, kept);
    live.put(dataset, kept);
  }

  /** Unpersists what no later step of the task reads. */
  private void release(StepSpec step) {
    task.releaseAfter().forEach((dataset, lastStep) -> {
      if (step.name().equals(lastStep)) {
        Dataset<Row> data = persisted.remove(dataset);
        if (data != null) {
          data.unpersist();
        }
      }
    });
  }

  /** Tags the Spark jobs that follow with the task and the step (or phase) causing them. */
  private void tag(String step, String description) {
    spark.sparkContext().setJobGroup(task.name() + "/" + step, description, false);
    spark.sparkContext().setLocalProperty(TaskRunner.TASK_PROPERTY, task.name());
    spark.sparkContext().setLocalProperty(TaskRunner.STEP_PROPERTY, step);
  }

  private void untag() {
    spark.sparkContext().clearJobGroup();
    spark.sparkContext().setLocalProperty(TaskRunner.TASK_PROPERTY, null);
    spark.sparkContext().setLocalProperty(TaskRunner.STEP_PROPERTY, null);
  }

  private static void discardQuietly(StagedOutput output) {
    try {
      output.discard();
    } catch (RuntimeException suppressed) {
      // The task's own failure is the error to report; a leftover hidden staging folder is harmless.
    }
  }
}
