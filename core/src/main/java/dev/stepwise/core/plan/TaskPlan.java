package dev.stepwise.core.plan;

import dev.stepwise.core.model.DatasetSpec;
import dev.stepwise.core.model.StepSpec;
import java.util.List;
import java.util.Map;

/**
 * What one task does: read, run its steps in order, keep or cache intermediates, write.
 *
 * @param upstream tasks that must finish first (they write what this task reads)
 * @param steps in an order where every step follows the steps it reads from
 * @param cached in-memory datasets read more than once in this task, persisted once
 * @param releaseAfter cached dataset -> the step after whose writes it is no longer needed
 * @param spark Spark settings of the task, full keys
 * @param contracts datasets this task reads from a source or produces that declare a schema or
 *     expectations, by name: checked whenever the task brings them into being
 */
public record TaskPlan(
    String name,
    List<String> upstream,
    List<StepSpec> steps,
    List<DatasetRead> reads,
    List<DatasetWrite> writes,
    List<String> cached,
    Map<String, String> releaseAfter,
    Map<String, String> spark,
    Map<String, DatasetSpec> contracts) {

  public TaskPlan {
    upstream = List.copyOf(upstream);
    steps = List.copyOf(steps);
    reads = List.copyOf(reads);
    writes = List.copyOf(writes);
    cached = List.copyOf(cached);
    releaseAfter = Map.copyOf(releaseAfter);
    spark = Map.copyOf(spark);
    contracts = Map.copyOf(contracts);
  }

  public TaskPlan(String name, List<String> upstream, List<StepSpec> steps, List<DatasetRead> reads,
      List<DatasetWrite> writes, List<String> cached, Map<String, String> releaseAfter, Map<String, String> spark) {
    this(name, upstream, steps, reads, writes, cached, releaseAfter, spark, Map.of());
  }

  /** The same task reading only the given inputs (e.g. those an earlier task of this run will not write). */
  public TaskPlan withReads(List<DatasetRead> onlyThese) {
    return new TaskPlan(name, upstream, steps, onlyThese, writes, cached, releaseAfter, spark, contracts);
  }

  public List<String> stepNames() {
    return steps.stream().map(StepSpec::name).toList();
  }

  public boolean writes(String dataset) {
    return writes.stream().anyMatch(w -> w.dataset().equals(dataset));
  }
}
