package dev.stepwise.testing;

import dev.stepwise.core.plan.DatasetWrite;
import dev.stepwise.core.plan.ExecutionPlan;
import dev.stepwise.core.run.TaskResult;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** What a {@link PipelineHarness} run did, and the datasets it wrote, read back from storage. */
public final class PipelineRun {
  private final PipelineHarness harness;
  private final ExecutionPlan plan;
  private final List<TaskResult> tasks;

  PipelineRun(PipelineHarness harness, ExecutionPlan plan, List<TaskResult> tasks) {
    this.harness = harness;
    this.plan = plan;
    this.tasks = List.copyOf(tasks);
  }

  public ExecutionPlan plan() {
    return plan;
  }

  /** The tasks that ran, in order, with what each wrote. */
  public List<TaskResult> tasks() {
    return tasks;
  }

  /** Every dataset the run wrote: final outputs, checkpoints, and data handed between tasks. */
  public Set<String> written() {
    Set<String> written = new LinkedHashSet<>();
    tasks.forEach(t -> t.written().forEach(w -> written.add(w.dataset())));
    return written;
  }

  /** The datasets no step reads (the pipeline's results) that this run wrote. */
  public Set<String> finalOutputs() {
    Set<String> outputs = new LinkedHashSet<>();
    for (var task : plan.tasks()) {
      for (DatasetWrite write : task.writes()) {
        if (plan.stepGraph().consumersOf(write.dataset()).isEmpty() && written().contains(write.dataset())) {
          outputs.add(write.dataset());
        }
      }
    }
    return outputs;
  }

  /** A dataset this run wrote, read lazily from storage. */
  public Dataset<Row> output(String dataset) {
    if (!written().contains(dataset)) {
      throw new IllegalArgumentException("dataset '" + dataset + "' was not written by this run of grouping '"
          + plan.grouping().name() + "' (it stays in memory, or its task did not run); written: " + written());
    }
    return harness.read(dataset);
  }

  /** {@link #output} of every dataset the run wrote, by name. */
  public Map<String, Dataset<Row>> outputs() {
    Map<String, Dataset<Row>> outputs = new LinkedHashMap<>();
    written().forEach(d -> outputs.put(d, harness.read(d)));
    return outputs;
  }
}
