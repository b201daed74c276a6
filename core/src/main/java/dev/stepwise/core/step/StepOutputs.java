package dev.stepwise.core.step;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** What a step produced, by output role. */
public final class StepOutputs {
  private final Map<String, Dataset<Row>> byRole;

  private StepOutputs(Map<String, Dataset<Row>> byRole) {
    this.byRole = Map.copyOf(byRole);
  }

  public static StepOutputs of(String role, Dataset<Row> data) {
    return builder().put(role, data).build();
  }

  public static StepOutputs of(String role1, Dataset<Row> data1, String role2, Dataset<Row> data2) {
    return builder().put(role1, data1).put(role2, data2).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Dataset<Row> get(String role) {
    Dataset<Row> data = byRole.get(role);
    if (data == null) {
      throw new IllegalArgumentException(
          "no output with role '" + role + "'; the step produced " + byRole.keySet());
    }
    return data;
  }

  public Set<String> roles() {
    return byRole.keySet();
  }

  /** Collects outputs in the order they are put; a role may be given once. */
  public static final class Builder {
    private final Map<String, Dataset<Row>> byRole = new LinkedHashMap<>();

    private Builder() {}

    public Builder put(String role, Dataset<Row> data) {
      Objects.requireNonNull(role, "role");
      Objects.requireNonNull(data, () -> "output '" + role + "' is null");
      if (byRole.putIfAbsent(role, data) != null) {
        throw new IllegalArgumentException("output role '" + role + "' given twice");
      }
      return this;
    }

    public StepOutputs build() {
      return new StepOutputs(byRole);
    }
  }
}
