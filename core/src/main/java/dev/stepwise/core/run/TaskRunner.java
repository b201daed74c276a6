package dev.stepwise.core.run;

import dev.stepwise.core.config.DatasetSpec;
import dev.stepwise.core.config.Expectation;
import dev.stepwise.core.config.StepSpec;
import dev.stepwise.core.config.StorageSpec;
import dev.stepwise.core.io.DatasetStore;
import dev.stepwise.core.io.RunLock;
import dev.stepwise.core.io.StagedOutput;
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

  public TaskResult run(TaskPlan task, RunContext run) {
    long taskStart = System.nanoTime();
    PhaseClock clock = PhaseClock.startingNow(Optional.of(task.name()));
    listener.taskStarted(task.name(), task.steps().size());
    Map<String, Dataset<Row>> live = new HashMap<>();
    Map<String, Dataset<Row>> persisted = new LinkedHashMap<>();
    List<StagedOutput> staged = new ArrayList<>();
    List<WrittenDataset> written = new ArrayList<>();
    Set<String> cached = Set.copyOf(task.cached());
    List<CheckedDataset> checked = new ArrayList<>();
    RunLock lock = lockTargets(task, run);
    try {
      tag(task.name(), "read", "stepwise " + task.name() + ": reading inputs");
      for (DatasetRead read : task.reads()) {
        StorageSpec storage = run.resolve(read.storage(), read.dataset());
        Dataset<Row> data = store.read(storage);
        if (read.producerTask().isEmpty()) {
          data = accept(task, read.dataset(), "read from " + storage.location(), data, run, staged, checked);
        }
        live.put(read.dataset(), keep(read.dataset(), data, cached, persisted));
      }
      clock.lap("read inputs", PhaseKind.OVERHEAD);
      for (StepSpec step : task.steps()) {
        long stepStart = System.nanoTime();
        listener.stepStarted(task.name(), step.name());
        tag(task.name(), step.name(),
            "stepwise " + task.name() + ": step " + step.name() + " (" + step.type().name() + ")");
        StepOutputs outputs = apply(task, step, live);
        for (Map.Entry<String, String> binding : step.outputs().entrySet()) {
          String dataset = binding.getValue();
          Dataset<Row> data;
          try {
            data = accept(task, dataset, "step '" + step.name() + "'", outputs.get(binding.getKey()), run, staged,
                checked);
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
            written.add(stage(task, step, write, live.get(write.dataset()), run, staged));
            clock.lap("write " + write.dataset(), PhaseKind.COMPUTE, Optional.of(step.name()),
                Optional.of(write.dataset()));
          }
        }
        release(task, step, persisted);
        listener.stepFinished(task.name(), step.name(), Duration.ofNanos(System.nanoTime() - stepStart));
      }
      verifyExpectations(task, checked);
      tag(task.name(), "publish", "stepwise " + task.name() + ": publishing");
      for (StagedOutput output : staged) {
        output.publish(run.runId());
      }
    } catch (Exception e) {
      // Exception, not RuntimeException: Spark and Hadoop throw checked IOExceptions undeclared, through Scala.
      staged.forEach(TaskRunner::discardQuietly);
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
        Duration.ofNanos(System.nanoTime() - taskStart), clock.phases());
    listener.taskFinished(result);
    return result;
  }

  /** Locks every place the task publishes to, then clears what a killed earlier run left there. */
  private RunLock lockTargets(TaskPlan task, RunContext run) {
    List<org.apache.hadoop.fs.Path> targets = new ArrayList<>();
    for (DatasetWrite write : task.writes()) {
      targets.add(store.targetOf(run.resolve(write.storage(), write.dataset())));
    }
    for (var contract : task.contracts().values()) {
      for (Expectation e : contract.expectations()) {
        e.quarantine().ifPresent(q -> targets.add(store.targetOf(run.resolve(q, contract.name()))));
      }
    }
    RunLock lock = RunLock.acquire(targets, run.runId(), spark.sparkContext().hadoopConfiguration());
    try {
      targets.forEach(store::recover);
    } catch (RuntimeException e) {
      lock.close();
      throw e;
    }
    return lock;
  }

  /**
   * Holds a dataset the task brings into being (read from a source, or produced by a step) to its
   * declared schema and expectations; rows an expectation drops into a quarantine are staged with
   * the task's other writes.
   */
  private Dataset<Row> accept(TaskPlan task, String dataset, String source, Dataset<Row> data, RunContext run,
      List<StagedOutput> staged, List<CheckedDataset> checked) {
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
      String name = dataset + "." + quarantine.getKey().name();
      StorageSpec storage = run.resolve(quarantine.getKey().quarantine().orElseThrow(), dataset);
      staged.add(store.stage(quarantine.getValue(), storage, name, run.runId()));
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
      RunContext run, List<StagedOutput> staged) {
    StorageSpec storage = run.resolve(write.storage(), write.dataset());
    long start = System.nanoTime();
    StagedOutput output;
    try {
      output = store.stage(data, storage, write.dataset(), run.runId());
    } catch (Exception e) { // checked IOExceptions arrive undeclared from Hadoop through Spark
      throw new StepFailedException(task.name(), step.name(), "while writing '" + write.dataset() + "'", e);
    }
    staged.add(output);
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
