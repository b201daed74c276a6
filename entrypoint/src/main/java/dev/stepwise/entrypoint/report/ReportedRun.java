package dev.stepwise.entrypoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One run report read back from its JSON file (what {@link RunReport} wrote): enough for
 * {@code advise} and the timeline.
 */
record ReportedRun(Path file, String pipeline, String grouping, String runDate, Instant startedAt,
    double wallSeconds, double overheadSeconds, double computeSeconds, List<ReportedTask> tasks,
    List<ReportedPhase> phases) {

  /**
   * A task as its report tells it. Overhead and compute are the task's own phases only.
   *
   * @param warmupSeconds JIT and code generation while the task ran (0 in reports written before
   *     the report measured warm-up)
   */
  record ReportedTask(String name, List<String> steps, Map<String, String> sparkSettings, double wallSeconds,
      double overheadSeconds, double computeSeconds, double warmupSeconds) {}

  /** The name under which a task's JVM warm-up shows in the overhead breakdown. */
  static final String WARMUP_PHASE = "jvm warm-up (JIT + codegen)";

  record ReportedPhase(String name, boolean compute, Optional<String> task, Optional<String> step,
      Optional<String> dataset, double startSeconds, double seconds) {}

  private static final ObjectMapper MAPPER = new ObjectMapper();

  static ReportedRun read(Path file) {
    JsonNode root;
    try {
      root = MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      throw new UsageException("cannot read run report " + file + ": " + e.getMessage());
    }
    if (root == null || !root.path("schema_version").isInt()) {
      throw new UsageException(file + " is not a stepwise run report (no schema_version)");
    }
    int version = root.get("schema_version").asInt();
    if (version != RunReport.SCHEMA_VERSION) {
      throw new UsageException(file + " has report schema_version " + version + "; this stepwise reads version "
          + RunReport.SCHEMA_VERSION + ": use the stepwise that wrote it");
    }
    if (!root.path("status").asText().equals("succeeded")) {
      throw new UsageException(file + " is the report of a failed run (" + root.path("error").asText()
          + "); advise on the reports of a successful run");
    }
    List<ReportedTask> tasks = new ArrayList<>();
    for (JsonNode t : root.path("tasks")) {
      if (!t.path("reused_steps").isEmpty()) {
        throw new UsageException(file + " is the report of a resumed run: task '" + t.path("task").asText()
            + "' reused steps " + t.path("reused_steps") + " of a failed run, so its times leave their work out;"
            + " advise on the reports of a full run");
      }
      List<String> steps = new ArrayList<>();
      t.path("steps").forEach(s -> steps.add(s.asText()));
      Map<String, String> spark = new LinkedHashMap<>();
      t.path("task_spark_settings").fields().forEachRemaining(e -> spark.put(e.getKey(), e.getValue().asText()));
      tasks.add(new ReportedTask(t.path("task").asText(), steps, spark, t.path("wall_seconds").asDouble(),
          t.path("overhead_seconds").asDouble(), t.path("compute_seconds").asDouble(),
          Math.max(0, t.path("warmup").path("seconds").asDouble(0))));
    }
    List<ReportedPhase> phases = new ArrayList<>();
    for (JsonNode p : root.path("phases")) {
      phases.add(new ReportedPhase(p.path("name").asText(), p.path("kind").asText().equals("compute"),
          text(p, "task"), text(p, "step"), text(p, "dataset"), p.path("start_seconds").asDouble(),
          p.path("seconds").asDouble()));
    }
    return new ReportedRun(file, root.path("pipeline").asText(), root.path("grouping").asText(),
        root.path("run_date").asText(), Instant.parse(root.path("started_at").asText()),
        root.path("wall_seconds").asDouble(), root.path("overhead_seconds").asDouble(),
        root.path("compute_seconds").asDouble(), tasks, phases);
  }

  private static Optional<String> text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
  }

  /**
   * A task's whole cost as a scheduler pays it: its own phases plus its share of what the process
   * spent outside tasks (JVM and SparkSession start and stop, config, pre-flight), split evenly when
   * one process ran several tasks.
   *
   * <p>The JVM warm-up a task paid while computing (JIT, Spark's code generation) counts as overhead
   * too, moved out of its compute: a JVM that already ran the tasks before it in a merged task has
   * most of it done, so merging saves it like a start-up. It is capped at the task's compute so the
   * task's total stays its run time.
   */
  TaskCost cost(ReportedTask task) {
    double processOverhead = overheadSeconds - tasks.stream().mapToDouble(ReportedTask::overheadSeconds).sum();
    double warmup = Math.min(task.warmupSeconds(), task.computeSeconds());
    double overhead = task.overheadSeconds() + processOverhead / tasks.size() + warmup;
    Map<String, Double> breakdown = new LinkedHashMap<>();
    for (ReportedPhase p : phases) {
      if (!p.compute() && (p.task().isEmpty() || p.task().get().equals(task.name()))) {
        double share = p.task().isEmpty() ? p.seconds() / tasks.size() : p.seconds();
        breakdown.merge(p.name(), share, Double::sum);
      }
    }
    if (warmup > 0) {
      breakdown.put(WARMUP_PHASE, warmup);
    }
    return new TaskCost(task.name(), task.steps(), task.sparkSettings(), overhead, task.computeSeconds() - warmup,
        breakdown, file);
  }
}
