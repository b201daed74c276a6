package dev.stepwise.core.config;

import java.util.Objects;
import java.util.Optional;

/**
 * A named piece of data. Without storage it can only live in memory inside one task, unless the
 * pipeline declares intermediate storage for datasets that cross tasks.
 *
 * @param checkpoint written on every run even when only its own task reads it
 * @param location file:line of its declaration
 */
public record DatasetSpec(String name, Optional<StorageSpec> storage, boolean checkpoint, String location) {
  public DatasetSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(storage, "storage");
    Objects.requireNonNull(location, "location");
  }
}
