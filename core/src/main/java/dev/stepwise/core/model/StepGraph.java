package dev.stepwise.core.model;

import dev.stepwise.core.problem.ConfigProblem;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who produces and who consumes each dataset, derived from the steps' bindings (never declared
 * twice). Steps are nodes; an edge runs from a dataset's producer to each of its consumers.
 */
public final class StepGraph {
  private final Map<String, StepSpec> steps;
  private final Map<String, String> producerOf;
  private final Map<String, List<String>> consumersOf;
  private final List<ConfigProblem> problems;

  private StepGraph(Map<String, StepSpec> steps, Map<String, String> producerOf,
      Map<String, List<String>> consumersOf, List<ConfigProblem> problems) {
    this.steps = steps;
    this.producerOf = producerOf;
    this.consumersOf = consumersOf;
    this.problems = problems;
  }

  public static StepGraph of(Collection<StepSpec> stepList, Map<String, DatasetSpec> datasets) {
    Map<String, StepSpec> steps = new LinkedHashMap<>();
    stepList.forEach(s -> steps.put(s.name(), s));
    List<ConfigProblem> problems = new ArrayList<>();
    Map<String, String> producerOf = new LinkedHashMap<>();
    Map<String, List<String>> consumersOf = new LinkedHashMap<>();
    for (StepSpec step : steps.values()) {
      for (String dataset : step.outputs().values()) {
        String previous = producerOf.putIfAbsent(dataset, step.name());
        if (previous != null) {
          problems.add(new ConfigProblem(step.location(), "steps." + step.name() + ".outputs",
              "dataset '" + dataset + "' is already produced by step '" + previous
                  + "'; every dataset has one producer"));
        }
      }
      for (String dataset : new LinkedHashSet<>(step.inputs().values())) {
        consumersOf.computeIfAbsent(dataset, d -> new ArrayList<>()).add(step.name());
      }
    }
    for (Map.Entry<String, List<String>> entry : consumersOf.entrySet()) {
      String dataset = entry.getKey();
      DatasetSpec spec = datasets.get(dataset);
      if (!producerOf.containsKey(dataset) && spec != null && spec.storage().isEmpty()) {
        problems.add(new ConfigProblem(spec.location(), "datasets." + dataset,
            "step '" + entry.getValue().get(0) + "' reads '" + dataset + "', but no step produces it and it"
                + " has no storage to read from; give it a format and path, or a producing step"));
      }
    }
    StepGraph graph = new StepGraph(steps, producerOf, consumersOf, problems);
    List<String> cycle = Cycles.find(steps.keySet(), graph::downstreamSteps);
    if (!cycle.isEmpty()) {
      StepSpec first = steps.get(cycle.get(0));
      problems.add(new ConfigProblem(first.location(), "steps",
          "the steps form a cycle: " + String.join(" -> ", cycle) + "; a step cannot depend on its own output"));
    }
    return graph;
  }

  public List<ConfigProblem> problems() {
    return Collections.unmodifiableList(problems);
  }

  public Map<String, StepSpec> steps() {
    return Collections.unmodifiableMap(steps);
  }

  /** The step producing {@code dataset}, or null for a source. */
  public String producerOf(String dataset) {
    return producerOf.get(dataset);
  }

  public List<String> consumersOf(String dataset) {
    return consumersOf.getOrDefault(dataset, List.of());
  }

  /** Steps that read an output of {@code step}, in declaration order, without repeats. */
  public List<String> downstreamSteps(String step) {
    Set<String> result = new LinkedHashSet<>();
    for (String dataset : steps.get(step).outputs().values()) {
      result.addAll(consumersOf(dataset));
    }
    return new ArrayList<>(result);
  }

  /** Steps whose outputs {@code step} reads. */
  public List<String> upstreamSteps(String step) {
    Set<String> result = new LinkedHashSet<>();
    for (String dataset : steps.get(step).inputs().values()) {
      String producer = producerOf.get(dataset);
      if (producer != null) {
        result.add(producer);
      }
    }
    return new ArrayList<>(result);
  }
}
