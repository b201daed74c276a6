package dev.stepwise.entrypoint.render;

import dev.stepwise.core.config.Secrets;
import dev.stepwise.core.model.StepSpec;
import dev.stepwise.core.plan.DatasetRead;
import dev.stepwise.core.plan.DatasetReuse;
import dev.stepwise.core.plan.DatasetWrite;
import dev.stepwise.core.plan.ExecutionPlan;
import dev.stepwise.core.plan.MaterializeReason;
import dev.stepwise.core.plan.Reuse;
import dev.stepwise.core.plan.TaskPlan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The renderings of a plan that {@code stepwise plan --format} prints. */
public final class PlanFormats {
  private PlanFormats() {}

  public static Map<String, Object> json(ExecutionPlan plan) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("pipeline", plan.pipeline().name());
    root.put("grouping", plan.grouping().name());
    root.put("task_count", plan.tasks().size());
    root.put("step_count", plan.pipeline().steps().size());
    root.put("tasks", plan.tasks().stream().map(PlanFormats::task).toList());
    return root;
  }

  static Map<String, Object> task(TaskPlan task) {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("name", task.name());
    t.put("upstream", task.upstream());
    t.put("steps", task.stepNames());
    t.put("reads", task.reads().stream().map(r -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("dataset", r.dataset());
      m.put("from_task", r.producerTask().orElse(null));
      m.put("location", r.storage().location());
      return m;
    }).toList());
    t.put("writes", task.writes().stream().map(w -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("dataset", w.dataset());
      m.put("step", w.producerStep());
      m.put("reasons", w.reasons().stream().map(r -> r.name().toLowerCase(Locale.ROOT)).sorted().toList());
      m.put("read_by_tasks", w.readByTasks());
      m.put("format", w.storage().format().configName());
      m.put("location", w.storage().location());
      return m;
    }).toList());
    t.put("in_memory", inMemory(task));
    t.put("cache_policy", task.cachePolicy().configName());
    t.put("cached", task.cached());
    t.put("reused", task.reuse().stream().map(r -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("dataset", r.dataset());
      m.put("uses", r.uses());
      m.put("kept", r.reuse().name().toLowerCase(Locale.ROOT));
      m.put("reason", r.reason().name().toLowerCase(Locale.ROOT));
      m.put("why", r.reason().explanation());
      return m;
    }).toList());
    t.put("spark", Secrets.masked(task.spark()));
    return t;
  }

  /** Datasets produced and consumed inside the task and never written. */
  static List<String> inMemory(TaskPlan task) {
    List<String> result = new ArrayList<>();
    for (StepSpec step : task.steps()) {
      for (String dataset : step.outputs().values()) {
        if (!task.writes(dataset)) {
          result.add(dataset);
        }
      }
    }
    return result;
  }

  public static String text(ExecutionPlan plan) {
    StringBuilder out = new StringBuilder();
    out.append(String.format("pipeline %s, grouping %s: %s in %s%n", plan.pipeline().name(), plan.grouping().name(),
        Counted.of(plan.pipeline().steps().size(), "step"), Counted.of(plan.tasks().size(), "task")));
    GraphShape tasks = taskShape(plan);
    GraphShape steps = stepShape(plan);
    out.append(String.format("task graph: depth %d, width %d, critical path %s%n", tasks.depth(), tasks.width(),
        String.join(" -> ", tasks.criticalPath())));
    out.append(String.format("step graph: depth %d, width %d, critical path %s%n", steps.depth(), steps.width(),
        String.join(" -> ", steps.criticalPath())));
    int i = 1;
    for (TaskPlan task : plan.tasks()) {
      out.append(String.format("%n%d. task %s%s%n", i++, task.name(),
          task.upstream().isEmpty() ? "" : "  (after " + String.join(", ", task.upstream()) + ")"));
      out.append("   steps:     ").append(String.join(" -> ", task.stepNames())).append('\n');
      out.append("   reads:     ").append(task.reads().stream()
          .map(r -> r.dataset() + r.producerTask().map(t -> " (from " + t + ")").orElse(""))
          .collect(Collectors.joining(", "))).append('\n');
      out.append("   writes:    ").append(task.writes().stream()
          .map(w -> w.dataset() + " [" + w.reasons().stream().map(r -> r.name().toLowerCase(Locale.ROOT))
              .sorted().collect(Collectors.joining(",")) + "]")
          .collect(Collectors.joining(", "))).append('\n');
      List<String> memory = inMemory(task);
      if (!memory.isEmpty()) {
        out.append("   in memory: ").append(String.join(", ", memory)).append('\n');
      }
      for (DatasetReuse reuse : task.reuse()) {
        out.append(String.format("   %-11s%s, used %d times: %s%n", REUSE_LABEL.get(reuse.reuse()), reuse.dataset(),
            reuse.uses(), reuse.reason().explanation()));
      }
      if (!task.spark().isEmpty()) {
        out.append("   spark:     ").append(Secrets.masked(task.spark()).entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "))).append('\n');
      }
    }
    return out.toString();
  }

  private static final Map<Reuse, String> REUSE_LABEL = Map.of(Reuse.CACHE, "cached:", Reuse.REREAD, "re-read:",
      Reuse.READ_BACK, "read back:");

  public static GraphShape taskShape(ExecutionPlan plan) {
    Map<String, List<String>> upstream = new HashMap<>();
    plan.tasks().forEach(t -> upstream.put(t.name(), t.upstream()));
    return GraphShape.of(plan.taskNames(), upstream::get);
  }

  public static GraphShape stepShape(ExecutionPlan plan) {
    return GraphShape.of(new ArrayList<>(plan.pipeline().steps().keySet()), plan.stepGraph()::upstreamSteps);
  }

  public static String dot(ExecutionPlan plan) {
    StringBuilder out = new StringBuilder();
    out.append("digraph \"").append(plan.pipeline().name()).append("\" {\n")
        .append("  label=\"pipeline ").append(plan.pipeline().name()).append(", grouping ")
        .append(plan.grouping().name()).append(": boxes are steps, dashed frames tasks, cylinders written datasets")
        .append(" (grey: source, orange: crosses tasks, green: final output, blue: checkpoint)\";\n")
        .append("  labelloc=t; rankdir=LR; fontname=\"Helvetica\";\n")
        .append("  node [shape=box, style=\"rounded,filled\", fillcolor=white, fontname=\"Helvetica\"];\n")
        .append("  edge [fontname=\"Helvetica\", fontsize=10];\n");
    for (TaskPlan task : plan.tasks()) {
      out.append("  subgraph \"cluster_").append(task.name()).append("\" {\n")
          .append("    label=\"task ").append(task.name()).append("\"; style=dashed;\n");
      task.steps().forEach(s -> out.append("    \"").append(s.name()).append("\" [label=\"").append(s.name())
          .append("\\n(").append(s.type().name()).append(")\"];\n"));
      out.append("  }\n");
    }
    for (DatasetNode node : datasetNodes(plan)) {
      out.append("  \"").append(node.id()).append("\" [shape=cylinder, label=\"").append(node.dataset())
          .append(node.kind() == StoredKind.SOURCE ? "" : "\\n[" + node.kind().label + "]")
          .append("\", fillcolor=\"").append(node.kind().color).append("\"];\n");
    }
    for (Edge e : edges(plan)) {
      out.append("  \"").append(e.from()).append("\" -> \"").append(e.to()).append("\"")
          .append(e.label().isEmpty() ? "" : " [label=\"" + e.label() + "\", style=dotted]").append(";\n");
    }
    return out.append("}\n").toString();
  }

  public static String mermaid(ExecutionPlan plan) {
    StringBuilder out = new StringBuilder("flowchart LR\n");
    for (StoredKind kind : StoredKind.values()) {
      out.append("  classDef ").append(kind.name().toLowerCase(Locale.ROOT)).append(" fill:").append(kind.color)
          .append(",stroke:#555\n");
    }
    for (TaskPlan task : plan.tasks()) {
      out.append("  subgraph task_").append(id(task.name())).append("[\"task ").append(task.name()).append("\"]\n");
      task.stepNames().forEach(s -> out.append("    ").append(id(s)).append("[\"").append(s).append("\"]\n"));
      out.append("  end\n");
    }
    for (DatasetNode node : datasetNodes(plan)) {
      out.append("  ").append(id(node.id())).append("[(\"").append(node.dataset())
          .append(node.kind() == StoredKind.SOURCE ? "" : " [" + node.kind().label + "]").append("\")]:::")
          .append(node.kind().name().toLowerCase(Locale.ROOT)).append('\n');
    }
    for (Edge e : edges(plan)) {
      out.append("  ").append(id(e.from())).append(e.label().isEmpty() ? " --> " : " -. " + e.label() + " .-> ")
          .append(id(e.to())).append('\n');
    }
    return out.toString();
  }

  /** How a dataset drawn as storage got there; the first reason wins when there are several. */
  private enum StoredKind {
    SOURCE("source", "#dddddd"),
    CROSS_TASK("crosses tasks", "#ffcc80"),
    FINAL_OUTPUT("output", "#a5d6a7"),
    CHECKPOINT("checkpoint", "#90caf9");

    final String label;
    final String color;

    StoredKind(String label, String color) {
      this.label = label;
      this.color = color;
    }
  }

  private record DatasetNode(String id, String dataset, StoredKind kind) {}

  private record Edge(String from, String to, String label) {}

  /** Sources and written datasets are drawn as storage; in-memory ones only label step edges. */
  private static List<DatasetNode> datasetNodes(ExecutionPlan plan) {
    Map<String, DatasetNode> nodes = new LinkedHashMap<>();
    for (TaskPlan task : plan.tasks()) {
      for (DatasetRead read : task.reads()) {
        if (read.producerTask().isEmpty()) {
          nodes.putIfAbsent(read.dataset(), new DatasetNode("ds_" + read.dataset(), read.dataset(), StoredKind.SOURCE));
        }
      }
      for (DatasetWrite write : task.writes()) {
        StoredKind kind = write.reasons().contains(MaterializeReason.CROSS_TASK) ? StoredKind.CROSS_TASK
            : write.reasons().contains(MaterializeReason.FINAL_OUTPUT) ? StoredKind.FINAL_OUTPUT : StoredKind.CHECKPOINT;
        nodes.putIfAbsent(write.dataset(), new DatasetNode("ds_" + write.dataset(), write.dataset(), kind));
      }
    }
    return new ArrayList<>(nodes.values());
  }

  private static List<Edge> edges(ExecutionPlan plan) {
    Map<String, Boolean> stored = new HashMap<>();
    datasetNodes(plan).forEach(n -> stored.put(n.dataset(), true));
    List<Edge> edges = new ArrayList<>();
    for (StepSpec step : plan.pipeline().steps().values()) {
      for (String dataset : step.outputs().values()) {
        if (stored.containsKey(dataset)) {
          edges.add(new Edge(step.name(), "ds_" + dataset, ""));
        }
      }
      for (String dataset : step.inputs().values()) {
        if (stored.containsKey(dataset)) {
          edges.add(new Edge("ds_" + dataset, step.name(), ""));
        } else {
          edges.add(new Edge(plan.stepGraph().producerOf(dataset), step.name(), dataset));
        }
      }
    }
    return edges;
  }

  private static String id(String name) {
    return name.replaceAll("[^A-Za-z0-9_]", "_");
  }
}
