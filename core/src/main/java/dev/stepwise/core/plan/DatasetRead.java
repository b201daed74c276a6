package dev.stepwise.core.plan;

import dev.stepwise.core.model.StorageSpec;
import java.util.Optional;

/**
 * A dataset a task reads from storage: a source, or the output of an upstream task.
 *
 * @param producerTask empty for a source
 */
public record DatasetRead(String dataset, StorageSpec storage, Optional<String> producerTask) {}
