package dev.stepwise.core.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated pipeline: its datasets and steps, in declaration order. Built only by
 * {@code config.PipelineConfigLoader}, so holding one means the config passed every check.
 *
 * @param source the file (or resource) it was loaded from, to find groupings beside it
 * @param storageRoot {@code pipeline.storage_root}, checked; run reports go below it
 */
public record PipelineConfig(
    String name,
    String description,
    Optional<String> defaultGrouping,
    Optional<StorageSpec> intermediate,
    AirflowSettings airflow,
    Map<String, DatasetSpec> datasets,
    Map<String, StepSpec> steps,
    ConfigSource source,
    Optional<StorageRoot> storageRoot) {

  public PipelineConfig {
    Objects.requireNonNull(name, "name");
    datasets = Collections.unmodifiableMap(new LinkedHashMap<>(datasets));
    steps = Collections.unmodifiableMap(new LinkedHashMap<>(steps));
    Objects.requireNonNull(storageRoot, "storageRoot");
  }

  public DatasetSpec dataset(String name) {
    DatasetSpec spec = datasets.get(name);
    if (spec == null) {
      throw new IllegalArgumentException("no dataset '" + name + "' in pipeline " + this.name);
    }
    return spec;
  }

  /**
   * Where a dataset is stored when it must be: its own storage, else the pipeline's intermediate
   * storage for it; empty when it has neither and can only live in memory inside a task.
   */
  public Optional<StorageSpec> storageOf(String dataset) {
    return dataset(dataset).storage().or(() -> intermediate.map(s -> s.forDataset(dataset)));
  }

  public StepSpec step(String name) {
    StepSpec spec = steps.get(name);
    if (spec == null) {
      throw new IllegalArgumentException("no step '" + name + "' in pipeline " + this.name);
    }
    return spec;
  }
}
