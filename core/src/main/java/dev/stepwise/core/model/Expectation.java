package dev.stepwise.core.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A rule a dataset's rows must keep, checked every time a task produces the dataset.
 *
 * @param name the key it is declared under, used in messages and run reports
 * @param columns the columns of {@code not_null}, {@code unique} and {@code accepted_values}
 * @param acceptedValues for {@code accepted_values}, compared as strings
 * @param sql for {@code sql}: a boolean Spark SQL expression every row must satisfy
 * @param quarantine where rows dropped by {@code action = drop} are written, if anywhere
 */
public record Expectation(
    String name,
    Kind kind,
    Action action,
    List<String> columns,
    List<String> acceptedValues,
    OptionalLong minRows,
    OptionalLong maxRows,
    String sql,
    Optional<StorageSpec> quarantine,
    String location) {

  /** What is checked. */
  public enum Kind {
    NOT_NULL, UNIQUE, ACCEPTED_VALUES, ROW_COUNT, SQL;

    public String configName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Whether each row passes or fails on its own (everything but the row count). */
    public boolean isRowLevel() {
      return this != ROW_COUNT;
    }
  }

  /** What happens to the task when rows break the rule. */
  public enum Action {
    /** The task fails and publishes nothing. */
    FAIL,
    /** Offending rows are removed (and counted, and written to the quarantine if one is given). */
    DROP,
    /** Offending rows are counted and reported; the data is left as it is. */
    WARN
  }

  public Expectation {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(action, "action");
    columns = List.copyOf(columns);
    acceptedValues = List.copyOf(acceptedValues);
    Objects.requireNonNull(minRows, "minRows");
    Objects.requireNonNull(maxRows, "maxRows");
    Objects.requireNonNull(sql, "sql");
    Objects.requireNonNull(quarantine, "quarantine");
    Objects.requireNonNull(location, "location");
  }

  /** A short statement of the rule for messages, e.g. {@code not_null(event_id, amount)}. */
  public String describe() {
    return switch (kind) {
      case NOT_NULL, UNIQUE -> kind.configName() + "(" + String.join(", ", columns) + ")";
      case ACCEPTED_VALUES -> columns.get(0) + " in " + acceptedValues;
      case ROW_COUNT -> "row_count" + minRows.stream().mapToObj(m -> " >= " + m).findFirst().orElse("")
          + maxRows.stream().mapToObj(m -> " <= " + m).findFirst().orElse("");
      case SQL -> sql;
    };
  }

  /** The same expectation setting rows aside at {@code storage}. */
  public Expectation withQuarantine(Optional<StorageSpec> storage) {
    return new Expectation(name, kind, action, columns, acceptedValues, minRows, maxRows, sql, storage, location);
  }
}
