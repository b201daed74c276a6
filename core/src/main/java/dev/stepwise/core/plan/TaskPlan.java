package dev.stepwise.core.plan;

import dev.stepwise.core.config.StepSpec;
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
 */
public record TaskPlan(
    String name,
    List<String> upstream,
    List<StepSpec> steps,
    List<DatasetRead> reads,
    List<DatasetWrite> writes,
    List<String> cached,
    Map<String, String> releaseAfter,
    Map<String, String> spark) {

  public TaskPlan {
    upstream = List.copyOf(upstream);
    steps = List.copyOf(steps);
    reads = List.copyOf(reads);
    writes = List.copyOf(writes);
    cached = List.copyOf(cached);
    releaseAfter = Map.copyOf(releaseAfter);
    spark = Map.copyOf(spark);
  }

  public List<String> stepNames() {
    return steps.stream().map(StepSpec::name).toList();
  }

  public boolean writes(String dataset) {
    return writes.stream().anyMatch(w -> w.dataset().equals(dataset));
  }
}
