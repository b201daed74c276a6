package dev.stepwise.core.step;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;

/** The step types a pipeline config may refer to, by name. */
public final class StepCatalog {
  private static final java.util.List<StepType> BUILT_IN = java.util.List.of(SqlStep.TYPE);

  private final Map<String, StepType> byName;

  private StepCatalog(Map<String, StepType> byName) {
    this.byName = Map.copyOf(byName);
  }

  /** The given types and the built-in ones ({@code sql}); a given type may not take a built-in's name. */
  public static StepCatalog of(Collection<StepType> types) {
    Map<String, StepType> byName = new LinkedHashMap<>();
    for (StepType builtIn : BUILT_IN) {
      byName.put(builtIn.name(), builtIn);
    }
    for (StepType type : types) {
      if (BUILT_IN.stream().anyMatch(b -> b.name().equals(type.name()) && b != type)) {
        throw new IllegalStateException("step type '" + type.name() + "' is built into Stepwise; give yours"
            + " another name");
      }
      StepType previous = byName.putIfAbsent(type.name(), type);
      if (previous != null && previous != type) {
        throw new IllegalStateException("two step types are named '" + type.name() + "'");
      }
    }
    return new StepCatalog(byName);
  }

  /** Every type of every {@link StepLibrary} on the class path of the given loader. */
  public static StepCatalog discover(ClassLoader loader) {
    java.util.List<StepType> types = new java.util.ArrayList<>();
    for (StepLibrary library : ServiceLoader.load(StepLibrary.class, loader)) {
      types.addAll(library.stepTypes());
    }
    return of(types);
  }

  public Optional<StepType> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  public Set<String> names() {
    return byName.keySet();
  }
}
