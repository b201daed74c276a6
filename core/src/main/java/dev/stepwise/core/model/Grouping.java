package dev.stepwise.core.model;

import java.util.List;
import java.util.Objects;

/** A validated mapping of every step of a pipeline onto tasks, in declaration order. */
public record Grouping(String name, String description, List<TaskSpec> tasks, String location) {
  public Grouping {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    tasks = List.copyOf(tasks);
    Objects.requireNonNull(location, "location");
  }
}
