package dev.stepwise.core.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A named piece of data. Without storage it can only live in memory inside one task, unless the
 * pipeline declares intermediate storage for datasets that cross tasks.
 *
 * @param checkpoint written on every run even when only its own task reads it
 * @param location file:line of its declaration
 * @param schema the contract, as DDL: a source must provide these columns with compatible types,
 *     a step must produce them; the dataset then holds exactly these columns, in this order
 * @param expectations rules its rows must keep, checked whenever a task produces or reads it
 * @param guard checked before publishing it: against far fewer rows than its last published version
 */
public record DatasetSpec(String name, Optional<StorageSpec> storage, boolean checkpoint, String location,
    Optional<String> schema, List<Expectation> expectations, Optional<RowGuard> guard) {
  public DatasetSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(storage, "storage");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(schema, "schema");
    expectations = List.copyOf(expectations);
    Objects.requireNonNull(guard, "guard");
  }
}
