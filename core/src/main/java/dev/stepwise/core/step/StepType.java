package dev.stepwise.core.step;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Describes a kind of step to the config loader: the name used in {@code type = ...}, the input
 * and output roles that config binds to datasets, and how to build an instance from its typed
 * parameters. One type backs any number of step instances with different datasets and params.
 */
public record StepType(
    String name, List<String> inputRoles, List<String> outputRoles, Function<StepParams, Step> factory) {

  public StepType {
    Objects.requireNonNull(name, "name");
    inputRoles = List.copyOf(inputRoles);
    outputRoles = List.copyOf(outputRoles);
    Objects.requireNonNull(factory, "factory");
    if (outputRoles.isEmpty()) {
      throw new IllegalArgumentException("step type '" + name + "' declares no output");
    }
  }

  /** Starts a fluent description: {@code StepType.named("x").inputs("a").outputs("b").create(...)}. */
  public static Named named(String name) {
    return new Named(name, List.of(), List.of());
  }

  public record Named(String name, List<String> inputRoles, List<String> outputRoles) {
    public Named inputs(String... roles) {
      return new Named(name, List.of(roles), outputRoles);
    }

    public Named outputs(String... roles) {
      return new Named(name, inputRoles, List.of(roles));
    }

    public StepType create(Function<StepParams, Step> factory) {
      return new StepType(name, inputRoles, outputRoles, factory);
    }
  }
}
