package dev.stepwise.core.step;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The datasets handed to a step, by input role (the role names its step type declares). */
public final class StepInputs {
  private final Map<String, Dataset<Row>> byRole;

  private StepInputs(Map<String, Dataset<Row>> byRole) {
    this.byRole = Map.copyOf(byRole);
  }

  public static StepInputs of(Map<String, Dataset<Row>> byRole) {
    return new StepInputs(byRole);
  }

  public static StepInputs of(String role, Dataset<Row> data) {
    return new StepInputs(Map.of(role, data));
  }

  public static StepInputs of(String role1, Dataset<Row> data1, String role2, Dataset<Row> data2) {
    Map<String, Dataset<Row>> m = new LinkedHashMap<>();
    m.put(role1, data1);
    m.put(role2, data2);
    return new StepInputs(m);
  }

  public Dataset<Row> get(String role) {
    Dataset<Row> data = byRole.get(Objects.requireNonNull(role, "role"));
    if (data == null) {
      throw new IllegalArgumentException(
          "no input with role '" + role + "'; the step was given " + byRole.keySet());
    }
    return data;
  }

  public Set<String> roles() {
    return byRole.keySet();
  }
}
