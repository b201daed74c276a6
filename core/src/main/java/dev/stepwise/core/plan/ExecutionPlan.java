package dev.stepwise.core.plan;

import dev.stepwise.core.model.Grouping;
import dev.stepwise.core.model.PipelineConfig;
import dev.stepwise.core.model.StepGraph;
import java.util.List;
import java.util.Optional;

/** A pipeline under one grouping: its tasks in an order where each follows its upstream tasks. */
public record ExecutionPlan(PipelineConfig pipeline, Grouping grouping, StepGraph stepGraph, List<TaskPlan> tasks) {
  public ExecutionPlan {
    tasks = List.copyOf(tasks);
  }

  public Optional<TaskPlan> task(String name) {
    return tasks.stream().filter(t -> t.name().equals(name)).findFirst();
  }

  public List<String> taskNames() {
    return tasks.stream().map(TaskPlan::name).toList();
  }
}
