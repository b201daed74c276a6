package dev.stepwise.core.model;

import dev.stepwise.core.step.Step;
import dev.stepwise.core.step.StepType;
import java.util.Map;
import java.util.Objects;

/**
 * A step instance of a pipeline: its type, the built step, and which datasets fill its roles.
 *
 * @param inputs input role -> dataset name, in the type's role order
 * @param outputs output role -> dataset name, in the type's role order
 * @param location file:line of its declaration
 * @param params its {@code params} block as config text with sorted keys: what, besides type and
 *     bindings, decides what it computes (a resumed run compares it with the failed run's)
 */
public record StepSpec(
    String name, StepType type, Step step, Map<String, String> inputs, Map<String, String> outputs, String location,
    String params) {

  public StepSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(step, "step");
    inputs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(inputs));
    outputs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(outputs));
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(params, "params");
  }
}
