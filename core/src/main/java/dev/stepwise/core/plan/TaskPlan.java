package dev.stepwise.core.plan;

import dev.stepwise.core.model.DatasetSpec;
import dev.stepwise.core.model.StepSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one task does: read, run its steps in order, keep intermediates in memory, cache or read
 * back those used more than once, write.
 *
 * @param upstream tasks that must finish first (they write what this task reads)
 * @param steps in an order where every step follows the steps it reads from
 * @param cachePolicy how {@code reuse} was decided
 * @param reuse every dataset the task uses more than once, and how it keeps it between uses
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
    CachePolicy cachePolicy,
    List<DatasetReuse> reuse,
    Map<String, String> spark,
    Map<String, DatasetSpec> contracts) {

  public TaskPlan {
    upstream = List.copyOf(upstream);
    steps = List.copyOf(steps);
    reads = List.copyOf(reads);
    writes = List.copyOf(writes);
    Objects.requireNonNull(cachePolicy, "cachePolicy");
    reuse = List.copyOf(reuse);
    spark = Map.copyOf(spark);
    contracts = Map.copyOf(contracts);
  }

  /** The same task reading only the given inputs (e.g. those an earlier task of this run will not write). */
  public TaskPlan withReads(List<DatasetRead> onlyThese) {
    return new TaskPlan(name, upstream, steps, onlyThese, writes, cachePolicy, reuse, spark, contracts);
  }

  public List<String> stepNames() {
    return steps.stream().map(StepSpec::name).toList();
  }

  public boolean writes(String dataset) {
    return writes.stream().anyMatch(w -> w.dataset().equals(dataset));
  }

  /** Datasets persisted once in Spark's cache, in the order the task first uses them. */
  public List<String> cached() {
    return kept(Reuse.CACHE);
  }

  /** Written datasets that later steps of the task read from the written files. */
  public List<String> readBack() {
    return kept(Reuse.READ_BACK);
  }

  /** Cached dataset -> the step after whose writes it is no longer needed. */
  public Map<String, String> releaseAfter() {
    Map<String, String> release = new LinkedHashMap<>();
    reuse.forEach(r -> r.releaseAfter().ifPresent(step -> release.put(r.dataset(), step)));
    return release;
  }

  private List<String> kept(Reuse how) {
    return reuse.stream().filter(r -> r.reuse() == how).map(DatasetReuse::dataset).toList();
  }
}
