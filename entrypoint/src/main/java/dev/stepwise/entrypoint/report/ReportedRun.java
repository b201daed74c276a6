package dev.stepwise.entrypoint.report;

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
public record ReportedRun(Path file, String pipeline, String grouping, String runDate, Instant startedAt,
    double wallSeconds, double overheadSeconds, double computeSeconds, List<ReportedTask> tasks,
    List<ReportedPhase> phases) {

  /**
   * A task as its report tells it. Overhead and compute are the task's own phases only.
   *
   * @param warmupSeconds JIT and code generation while the task ran (0 in reports written before
   *     the report measured warm-up)
   */
  public record ReportedTask(String name, List<String> steps, Map<String, String> sparkSettings, double wallSeconds,
      double overheadSeconds, double computeSeconds, double warmupSeconds) {}

  public record ReportedPhase(String name, boolean compute, Optional<String> task, Optional<String> step,
      Optional<String> dataset, double startSeconds, double seconds) {}

  private static final ObjectMapper MAPPER = new ObjectMapper();

  public static ReportedRun read(Path file) {
    JsonNode root;
    try {
      root = MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      throw new UnreadableReportException("cannot read run report " + file + ": " + e.getMessage());
    }
    if (root == null || !root.path("schema_version").isInt()) {
      throw new UnreadableReportException(file + " is not a stepwise run report (no schema_version)");
    }
    int version = root.get("schema_version").asInt();
    if (version != RunReport.SCHEMA_VERSION) {
      throw new UnreadableReportException(file + " has report schema_version " + version + "; this stepwise reads version "
          + RunReport.SCHEMA_VERSION + ": use the stepwise that wrote it");
    }
    if (!root.path("status").asText().equals("succeeded")) {
      throw new UnreadableReportException(file + " is the report of a failed run (" + root.path("error").asText()
          + "); advise on the reports of a successful run");
    }
    List<ReportedTask> tasks = new ArrayList<>();
    for (JsonNode t : root.path("tasks")) {
      if (!t.path("reused_steps").isEmpty()) {
        throw new UnreadableReportException(file + " is the report of a resumed run: task '" + t.path("task").asText()
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
}
