package dev.stepwise.core.plan;

import dev.stepwise.core.model.Cycles;
import dev.stepwise.core.model.DatasetSpec;
import dev.stepwise.core.model.Grouping;
import dev.stepwise.core.model.PipelineConfig;
import dev.stepwise.core.model.StepCoverage;
import dev.stepwise.core.model.StepGraph;
import dev.stepwise.core.model.StepSpec;
import dev.stepwise.core.model.StorageSpec;
import dev.stepwise.core.model.TaskSpec;
import dev.stepwise.core.problem.ConfigProblem;
import dev.stepwise.core.problem.InvalidConfigException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns a pipeline and a grouping into an {@link ExecutionPlan}: the task graph, the order of
 * tasks and of steps inside each task, and which datasets are written, read or cached.
 *
 * <p>The materialization rule: a dataset is written when a step of another task reads it, when no
 * step reads it (a final output), or when config marks it {@code checkpoint = true}; everything
 * else stays in memory. A dataset a task uses more than once is kept by the task's
 * {@link CachePolicy}: by cost (see {@link ReuseChoice}) it is cached once and released once the
 * last step depending on it has written its outputs, read again from columnar files, or read back
 * from the files the task wrote.
 */
public final class Planner {
  private Planner() {}

  /** The plan with each task's cache policy from its grouping, else {@link CachePolicy#DEFAULT}. */
  public static ExecutionPlan plan(PipelineConfig pipeline, Grouping grouping) {
    return plan(pipeline, grouping, Optional.empty());
  }

  /**
   * @param launcherPolicy the cache policy the launcher set for every task ({@value CachePolicy#KEY}):
   *     it wins over the grouping's, as any Spark setting given to spark-submit does
   */
  public static ExecutionPlan plan(PipelineConfig pipeline, Grouping grouping, Optional<CachePolicy> launcherPolicy) {
    StepGraph graph = StepGraph.of(pipeline.steps().values(), pipeline.datasets());
    Map<String, String> taskOfStep = new HashMap<>();
    Map<String, TaskSpec> taskSpecs = new LinkedHashMap<>();
    for (TaskSpec task : grouping.tasks()) {
      taskSpecs.put(task.name(), task);
      task.steps().forEach(step -> taskOfStep.put(step, task.name()));
    }
    // Groupings built in code skip the file loader: the same coverage rule, checked here.
    StepCoverage.check(pipeline, grouping);

    // upstream task -> downstream task -> a dataset that makes the edge (for messages)
    Map<String, Map<String, String>> edges = new LinkedHashMap<>();
    taskSpecs.keySet().forEach(t -> edges.put(t, new LinkedHashMap<>()));
    for (StepSpec step : pipeline.steps().values()) {
      String consumerTask = taskOfStep.get(step.name());
      for (String dataset : step.inputs().values()) {
        String producer = graph.producerOf(dataset);
        if (producer != null && !taskOfStep.get(producer).equals(consumerTask)) {
          edges.get(taskOfStep.get(producer)).putIfAbsent(consumerTask, dataset);
        }
      }
    }
    List<String> cycle = Cycles.find(taskSpecs.keySet(), t -> new ArrayList<>(edges.get(t).keySet()));
    if (!cycle.isEmpty()) {
      StringBuilder path = new StringBuilder(cycle.get(0));
      for (int i = 1; i < cycle.size(); i++) {
        path.append(" -(").append(edges.get(cycle.get(i - 1)).get(cycle.get(i))).append(")-> ").append(cycle.get(i));
      }
      throw new InvalidConfigException(new ConfigProblem(taskSpecs.get(cycle.get(0)).location(), "tasks",
          "grouping '" + grouping.name() + "' makes the task graph cyclic: " + path
              + "; move steps so that data flows one way between tasks"));
    }

    Map<String, List<String>> upstreamOf = new LinkedHashMap<>();
    taskSpecs.keySet().forEach(t -> upstreamOf.put(t, new ArrayList<>()));
    edges.forEach((from, tos) -> tos.keySet().forEach(to -> upstreamOf.get(to).add(from)));
    List<String> taskOrder = topologicalOrder(new ArrayList<>(taskSpecs.keySet()),
        t -> new ArrayList<>(edges.get(t).keySet()));

    // Positions, not list scans: with thousands of steps in hundreds of tasks, scanning every step
    // (or task) once per task made planning quadratic.
    Map<String, Integer> declared = positions(new ArrayList<>(pipeline.steps().keySet()));
    Map<String, Integer> taskPosition = positions(taskOrder);
    List<ConfigProblem> problems = new ArrayList<>();
    List<TaskPlan> tasks = new ArrayList<>();
    for (String taskName : taskOrder) {
      TaskSpec task = taskSpecs.get(taskName);
      CachePolicy policy = launcherPolicy.orElseGet(() -> cachePolicyOf(task, problems));
      tasks.add(planTask(pipeline, graph, task, taskOfStep, declared,
          orderedUpstream(upstreamOf.get(taskName), taskPosition), policy, problems));
    }
    if (!problems.isEmpty()) {
      throw new InvalidConfigException(problems);
    }
    return new ExecutionPlan(pipeline, grouping, graph, tasks);
  }

  private static CachePolicy cachePolicyOf(TaskSpec task, List<ConfigProblem> problems) {
    String value = task.spark().get(CachePolicy.KEY);
    if (value == null) {
      return CachePolicy.DEFAULT;
    }
    Optional<CachePolicy> named = CachePolicy.named(value);
    if (named.isEmpty()) {
      problems.add(new ConfigProblem(task.location(), "tasks." + task.name() + ".spark." + CachePolicy.KEY,
          "'" + value + "' is not a cache policy; write " + CachePolicy.choices()));
    }
    return named.orElse(CachePolicy.DEFAULT);
  }

  private static List<String> orderedUpstream(List<String> upstream, Map<String, Integer> taskPosition) {
    return upstream.stream().sorted(java.util.Comparator.comparing(taskPosition::get)).toList();
  }

  private static Map<String, Integer> positions(List<String> names) {
    Map<String, Integer> position = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      position.put(names.get(i), i);
    }
    return position;
  }

  private static TaskPlan planTask(PipelineConfig pipeline, StepGraph graph, TaskSpec task,
      Map<String, String> taskOfStep, Map<String, Integer> declaredPosition, List<String> upstream,
      CachePolicy policy, List<ConfigProblem> problems) {
    Set<String> inTask = new LinkedHashSet<>(task.steps());
    List<String> declared = inTask.stream().sorted(java.util.Comparator.comparing(declaredPosition::get)).toList();
    List<String> order = topologicalOrder(declared,
        s -> graph.downstreamSteps(s).stream().filter(inTask::contains).toList());
    List<StepSpec> steps = order.stream().map(pipeline::step).toList();

    Map<String, DatasetRead> reads = new LinkedHashMap<>();
    Map<String, Integer> readsInTask = new LinkedHashMap<>();
    for (StepSpec step : steps) {
      for (String dataset : new LinkedHashSet<>(step.inputs().values())) {
        readsInTask.merge(dataset, 1, Integer::sum);
        String producer = graph.producerOf(dataset);
        if (producer == null || !inTask.contains(producer)) {
          Optional<String> producerTask = Optional.ofNullable(producer).map(taskOfStep::get);
          storageOf(pipeline, dataset, problems).ifPresent(storage ->
              reads.putIfAbsent(dataset, new DatasetRead(dataset, storage, producerTask)));
        }
      }
    }

    List<DatasetWrite> writes = new ArrayList<>();
    for (StepSpec step : steps) {
      for (String dataset : step.outputs().values()) {
        List<String> consumers = graph.consumersOf(dataset);
        List<String> otherTasks = consumers.stream().map(taskOfStep::get)
            .filter(t -> !t.equals(task.name())).distinct().toList();
        Set<MaterializeReason> reasons = EnumSet.noneOf(MaterializeReason.class);
        if (!otherTasks.isEmpty()) {
          reasons.add(MaterializeReason.CROSS_TASK);
        }
        if (consumers.isEmpty()) {
          reasons.add(MaterializeReason.FINAL_OUTPUT);
        }
        if (pipeline.dataset(dataset).checkpoint()) {
          reasons.add(MaterializeReason.CHECKPOINT);
        }
        if (!reasons.isEmpty()) {
          storageOf(pipeline, dataset, problems).ifPresent(storage ->
              writes.add(new DatasetWrite(dataset, step.name(), storage, reasons, otherTasks)));
        }
      }
    }

    Map<String, DatasetWrite> written = new LinkedHashMap<>();
    writes.forEach(w -> written.put(w.dataset(), w));
    List<DatasetReuse> reuse = new ArrayList<>();
    for (Map.Entry<String, Integer> entry : readsInTask.entrySet()) {
      String dataset = entry.getKey();
      DatasetRead read = reads.get(dataset);
      boolean producedHere = inTask.contains(String.valueOf(graph.producerOf(dataset)));
      // A written dataset that this task also reads is used twice: by its write and its readers.
      int uses = entry.getValue() + (producedHere && written.containsKey(dataset) ? 1 : 0);
      if (uses < 2 || (!producedHere && read == null)) {
        continue; // read once, or an input without storage (a problem reported above)
      }
      ReuseReason reason = producedHere
          ? ReuseChoice.computed(policy, Optional.ofNullable(written.get(dataset)).map(DatasetWrite::storage))
          : ReuseChoice.read(policy, read.storage(),
              read.producerTask().isEmpty() && !pipeline.dataset(dataset).expectations().isEmpty());
      reuse.add(new DatasetReuse(dataset, uses, reason, reason.reuse() == Reuse.CACHE
          ? Optional.of(lastDependent(dataset, order, graph, inTask)) : Optional.empty()));
    }
    Map<String, DatasetSpec> contracts = new LinkedHashMap<>();
    for (StepSpec step : steps) {
      for (String dataset : step.outputs().values()) {
        addContract(pipeline.dataset(dataset), contracts);
      }
    }
    reads.values().stream().filter(r -> r.producerTask().isEmpty())
        .forEach(r -> addContract(pipeline.dataset(r.dataset()), contracts));
    return new TaskPlan(task.name(), upstream, steps, new ArrayList<>(reads.values()), writes, policy, reuse,
        task.spark(), contracts);
  }

  private static void addContract(DatasetSpec spec, Map<String, DatasetSpec> contracts) {
    if (spec.schema().isPresent() || !spec.expectations().isEmpty() || spec.guard().isPresent()) {
      contracts.put(spec.name(), spec);
    }
  }

  /** The last step of the task, in run order, whose work builds on {@code dataset}. */
  private static String lastDependent(String dataset, List<String> order, StepGraph graph, Set<String> inTask) {
    Set<String> dependents = new LinkedHashSet<>();
    Deque<String> queue = new ArrayDeque<>(graph.consumersOf(dataset).stream().filter(inTask::contains).toList());
    while (!queue.isEmpty()) {
      String step = queue.poll();
      if (dependents.add(step)) {
        graph.downstreamSteps(step).stream().filter(inTask::contains).forEach(queue::add);
      }
    }
    String last = null;
    for (String step : order) {
      if (dependents.contains(step)) {
        last = step;
      }
    }
    return last;
  }

  private static Optional<StorageSpec> storageOf(PipelineConfig pipeline, String dataset, List<ConfigProblem> problems) {
    DatasetSpec spec = pipeline.dataset(dataset);
    Optional<StorageSpec> storage = pipeline.storageOf(dataset);
    if (storage.isEmpty()) {
      String problem = "dataset '" + dataset + "' must be written under this grouping (it crosses tasks or is an"
          + " output) but has no storage; give it a format and path, or declare pipeline.intermediate";
      if (problems.stream().noneMatch(p -> p.message().equals(problem))) {
        problems.add(new ConfigProblem(spec.location(), "datasets." + dataset, problem));
      }
    }
    return storage;
  }

  /** Kahn's algorithm; among ready nodes the earliest declared goes first, so plans are stable. */
  static List<String> topologicalOrder(List<String> nodes, Function<String, List<String>> successors) {
    Map<String, Integer> position = new HashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      position.put(nodes.get(i), i);
    }
    Map<String, Integer> indegree = new HashMap<>();
    nodes.forEach(n -> indegree.put(n, 0));
    for (String node : nodes) {
      for (String next : successors.apply(node)) {
        indegree.merge(next, 1, Integer::sum);
      }
    }
    java.util.PriorityQueue<String> ready = new java.util.PriorityQueue<>(java.util.Comparator.comparing(position::get));
    nodes.stream().filter(n -> indegree.get(n) == 0).forEach(ready::add);
    List<String> order = new ArrayList<>();
    while (!ready.isEmpty()) {
      String node = ready.poll();
      order.add(node);
      for (String next : successors.apply(node)) {
        if (indegree.merge(next, -1, Integer::sum) == 0) {
          ready.add(next);
        }
      }
    }
    if (order.size() != nodes.size()) {
      throw new IllegalStateException("cycle among " + nodes + " went undetected");
    }
    return order;
  }
}
