package dev.stepwise.core.step;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Describes a kind of step to the config loader: the name used in {@code type = ...}, the input
 * and output roles that config binds to datasets, and how to build an instance from its typed
 * parameters. One type backs any number of step instances with different datasets and params.
 *
 * @param inputRolesFromConfig the type takes whatever input roles its config binds (the built-in
 *     {@code sql} type: each role becomes a view its query reads); {@code inputRoles} is then empty
 *     and the factory finds the bound roles in {@link StepParams#inputRoles()}
 */
public record StepType(String name, List<String> inputRoles, List<String> outputRoles,
    Function<StepParams, Step> factory, boolean inputRolesFromConfig) {

  public StepType(
      String name, List<String> inputRoles, List<String> outputRoles, Function<StepParams, Step> factory) {
    this(name, inputRoles, outputRoles, factory, false);
  }

  public StepType {
    Objects.requireNonNull(name, "name");
    inputRoles = List.copyOf(inputRoles);
    outputRoles = List.copyOf(outputRoles);
    Objects.requireNonNull(factory, "factory");
    if (inputRolesFromConfig && !inputRoles.isEmpty()) {
      throw new IllegalArgumentException("step type '" + name + "' takes its input roles from config, so it"
          + " declares none itself; it declares " + inputRoles);
    }
    if (outputRoles.isEmpty()) {
      throw new IllegalArgumentException("step type '" + name + "' declares no output");
    }
  }

  /** Starts a fluent description: {@code StepType.named("x").inputs("a").outputs("b").create(...)}. */
  public static Named named(String name) {
    return new Named(name, List.of(), List.of());
  }

  public record Named(String name, List<String> inputRoles, List<String> outputRoles, boolean rolesFromConfig) {
    Named(String name, List<String> inputRoles, List<String> outputRoles) {
      this(name, inputRoles, outputRoles, false);
    }

    public Named inputs(String... roles) {
      return new Named(name, List.of(roles), outputRoles, false);
    }

    /** Whatever input roles a step's config binds; see {@link StepType#inputRolesFromConfig()}. */
    public Named inputsFromConfig() {
      return new Named(name, List.of(), outputRoles, true);
    }

    public Named outputs(String... roles) {
      return new Named(name, inputRoles, List.of(roles), rolesFromConfig);
    }

    public StepType create(Function<StepParams, Step> factory) {
      return new StepType(name, inputRoles, outputRoles, factory, rolesFromConfig);
    }
  }
}
