package dev.stepwise.entrypoint.advise;

import dev.stepwise.core.model.Grouping;
import dev.stepwise.core.model.PipelineConfig;
import dev.stepwise.core.model.TaskSpec;
import dev.stepwise.core.plan.DatasetWrite;
import dev.stepwise.core.plan.ExecutionPlan;
import dev.stepwise.core.plan.Planner;
import dev.stepwise.core.plan.TaskPlan;
import dev.stepwise.core.problem.InvalidConfigException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Proposes a grouping with less orchestration overhead from what a pipeline run cost.
 *
 * <p>While some task spends at least {@code threshold} of its run time on overhead, it is merged
 * with a task it exchanges data with (the most overhead-heavy such neighbour first), provided the
 * real {@link Planner} accepts the merged grouping, so the task graph stays acyclic. Only
 * neighbours are merged: merging two tasks that share no data would save a start-up but lose the
 * chance to run them in parallel. A merged task is estimated to pay the largest overhead of its
 * parts once (one JVM, one SparkSession) and the sum of their compute.
 */
final class GroupingAdvisor {
  /** One proposed merge and why. */
  record Merge(String into, List<String> tasks, String reason) {}

  record Advice(ExecutionPlan before, ExecutionPlan after, List<Merge> merges, List<String> notes) {}

  /** Tasks of the proposal: the original tasks it merges, in run order. */
  private record Group(List<TaskCost> parts) {
    String key() {
      return parts.get(0).task();
    }

    double overhead() {
      return parts.stream().mapToDouble(TaskCost::overheadSeconds).max().orElse(0);
    }

    double compute() {
      return parts.stream().mapToDouble(TaskCost::computeSeconds).sum();
    }

    double share() {
      double run = overhead() + compute();
      return run == 0 ? 0 : overhead() / run;
    }

    List<String> steps() {
      return parts.stream().flatMap(p -> p.steps().stream()).toList();
    }
  }

  private final PipelineConfig pipeline;
  private final String groupingName;
  private final double threshold;

  GroupingAdvisor(PipelineConfig pipeline, String groupingName, double threshold) {
    this.pipeline = pipeline;
    this.groupingName = groupingName;
    this.threshold = threshold;
  }

  Advice advise(List<TaskCost> costs) {
    checkCoversEveryStep(costs);
    List<Group> groups = new ArrayList<>(costs.stream().map(c -> new Group(List.of(c))).toList());
    ExecutionPlan before = Planner.plan(pipeline, grouping(groups, groupingName, false));
    // Run order, so that a merged task is named after its first and last parts.
    List<String> order = before.taskNames();
    groups.sort(Comparator.comparingInt(g -> order.indexOf(g.key())));
    List<Merge> merges = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    Set<String> cyclicPairs = new LinkedHashSet<>();
    boolean merged = true;
    while (merged) {
      merged = false;
      ExecutionPlan current = Planner.plan(pipeline, grouping(groups, "current", false));
      List<Group> candidates = groups.stream().filter(g -> g.share() >= threshold)
          .sorted(Comparator.comparingDouble(Group::overhead).reversed().thenComparing(Group::key)).toList();
      for (Group candidate : candidates) {
        for (Group neighbour : neighbours(candidate, groups, current)) {
          String pair = candidate.key() + "+" + neighbour.key();
          if (cyclicPairs.contains(pair)) {
            continue;
          }
          List<Group> next = mergedGroups(groups, candidate, neighbour);
          ExecutionPlan plan;
          try {
            plan = Planner.plan(pipeline, grouping(next, "candidate", false));
          } catch (InvalidConfigException e) {
            cyclicPairs.add(pair);
            notes.add("not merging " + names(candidate) + " with " + names(neighbour) + ": " + e.getMessage());
            continue;
          }
          merges.add(explain(candidate, neighbour, current, plan));
          groups = next;
          merged = true;
          break;
        }
        if (merged) {
          break;
        }
      }
    }
    Grouping proposal = grouping(groups, "advised", true);
    ExecutionPlan after = Planner.plan(pipeline, proposal);
    groups.forEach(g -> settingNotes(g, notes));
    return new Advice(before, after, renameMerges(merges, groups), notes);
  }

  private void checkCoversEveryStep(List<TaskCost> costs) {
    Set<String> reported = new LinkedHashSet<>();
    costs.forEach(c -> reported.addAll(c.steps()));
    Set<String> missing = new LinkedHashSet<>(pipeline.steps().keySet());
    missing.removeAll(reported);
    if (!missing.isEmpty()) {
      throw new UnusableReportsException("the reports cover no task running step(s) " + String.join(", ", missing)
          + " of pipeline '" + pipeline.name() + "'; pass the reports of every task of one pipeline run");
    }
  }

  private static List<Group> neighbours(Group group, List<Group> groups, ExecutionPlan plan) {
    TaskPlan task = plan.task(group.key()).orElseThrow();
    Set<String> connected = new LinkedHashSet<>(task.upstream());
    plan.tasks().stream().filter(t -> t.upstream().contains(group.key())).forEach(t -> connected.add(t.name()));
    return groups.stream().filter(g -> connected.contains(g.key()))
        .sorted(Comparator.comparingDouble(Group::share).reversed().thenComparing(Group::key)).toList();
  }

  /** {@code a} and {@code b} become one group, at the place of the one that runs first. */
  private static List<Group> mergedGroups(List<Group> groups, Group a, Group b) {
    Group first = groups.indexOf(a) < groups.indexOf(b) ? a : b;
    Group second = first == a ? b : a;
    List<TaskCost> parts = new ArrayList<>(first.parts());
    parts.addAll(second.parts());
    List<Group> next = new ArrayList<>();
    for (Group g : groups) {
      if (g == first) {
        next.add(new Group(parts));
      } else if (g != second) {
        next.add(g);
      }
    }
    return next;
  }

  private Merge explain(Group heavy, Group other, ExecutionPlan before, ExecutionPlan after) {
    Set<String> writtenBefore = written(before);
    Set<String> writtenAfter = written(after);
    List<String> nowInMemory = writtenBefore.stream().filter(d -> !writtenAfter.contains(d)).toList();
    String breakdown = heavy.parts().size() == 1 ? " (" + topPhases(heavy.parts().get(0)) + ")" : "";
    String reason = String.format(Locale.ROOT,
        "%s spends %.1f s of %.1f s (%.0f%%, threshold %.0f%%) on overhead%s; it exchanges data with %s."
            + " One start-up instead of two saves about %.1f s per run%s",
        names(heavy), heavy.overhead(), heavy.overhead() + heavy.compute(), 100 * heavy.share(), 100 * threshold,
        breakdown, names(other), Math.min(heavy.overhead(), other.overhead()),
        nowInMemory.isEmpty() ? "." : ", and " + String.join(", ", nowInMemory)
            + " stay" + (nowInMemory.size() == 1 ? "s" : "") + " in memory instead of being written and read back.");
    List<String> tasks = new ArrayList<>();
    heavy.parts().forEach(p -> tasks.add(p.task()));
    other.parts().forEach(p -> tasks.add(p.task()));
    return new Merge(heavy.key(), tasks, reason);
  }

  private static String topPhases(TaskCost cost) {
    return cost.overheadByPhase().entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(3)
        .map(e -> String.format(Locale.ROOT, "%s %.1f s", e.getKey(), e.getValue()))
        .collect(Collectors.joining(", "));
  }

  private static Set<String> written(ExecutionPlan plan) {
    Set<String> written = new LinkedHashSet<>();
    plan.tasks().forEach(t -> t.writes().stream().map(DatasetWrite::dataset).forEach(written::add));
    return written;
  }

  private static String names(Group group) {
    return group.parts().size() == 1 ? "task '" + group.key() + "'"
        : "the merged task of " + group.parts().size() + " tasks from '" + group.key() + "'";
  }

  /** The merges name tasks by their first part while planning; tell the user the final names. */
  private List<Merge> renameMerges(List<Merge> merges, List<Group> groups) {
    return merges.stream().map(m -> {
      Group group = groups.stream().filter(g -> g.parts().stream().anyMatch(p -> p.task().equals(m.tasks().get(0))))
          .findFirst().orElseThrow();
      return new Merge(finalName(group, groups), m.tasks(), m.reason());
    }).toList();
  }

  private String finalName(Group group, List<Group> groups) {
    if (groups.size() == 1) {
      return pipeline.name();
    }
    if (group.parts().size() == 1) {
      return group.key();
    }
    return group.key() + "_to_" + group.parts().get(group.parts().size() - 1).task();
  }

  private Grouping grouping(List<Group> groups, String name, boolean finalNames) {
    List<TaskSpec> tasks = groups.stream()
        .map(g -> new TaskSpec(finalNames ? finalName(g, groups) : g.key(), g.steps(), sparkSettings(g),
            "advised from " + g.parts().get(0).report()))
        .toList();
    return new Grouping(name, "proposed by stepwise advise from the run reports of grouping " + groupingName,
        tasks, "stepwise advise");
  }

  /**
   * Settings the parts agree on are kept; where they differ, the part with the most compute wins,
   * since its work gains or loses most from the executor shape.
   */
  static Map<String, String> sparkSettings(Group group) {
    Map<String, String> settings = new LinkedHashMap<>();
    List<TaskCost> byCompute = group.parts().stream()
        .sorted(Comparator.comparingDouble(TaskCost::computeSeconds).reversed()).toList();
    for (TaskCost part : byCompute) {
      part.sparkSettings().forEach(settings::putIfAbsent);
    }
    return settings;
  }

  private static void settingNotes(Group group, List<String> notes) {
    Map<String, String> chosen = sparkSettings(group);
    for (Map.Entry<String, String> setting : chosen.entrySet()) {
      Set<String> values = new LinkedHashSet<>();
      group.parts().forEach(p -> values.add(p.sparkSettings().getOrDefault(setting.getKey(), "(unset)")));
      if (values.size() > 1) {
        notes.add(setting.getKey() + " differed between " + group.parts().stream().map(TaskCost::task)
            .collect(Collectors.joining(", ")) + " (" + String.join(", ", values) + "): kept " + setting.getValue()
            + " from the part with the most compute; check it suits the merged task");
      }
    }
  }
}
