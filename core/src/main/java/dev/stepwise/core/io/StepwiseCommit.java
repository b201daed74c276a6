package dev.stepwise.core.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Which Stepwise run made a Delta commit, as its {@code userMetadata} says:
 * {@code {"stepwise":1,"pipeline":..,"grouping":..,"task":..,"run_id":..,"run_date":"yyyy-mm-dd"|null,
 * "config_fingerprint":..,"dataset":..}}. A commit made by {@code stepwise rollback} says so with one
 * more key, {@code rollback_of_version}: the version of the run's commit it undid.
 */
public record StepwiseCommit(String pipeline, String grouping, String task, String runId,
    Optional<LocalDate> runDate, String configFingerprint, String dataset, OptionalLong rollbackOfVersion) {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final int SHAPE_VERSION = 1;

  public StepwiseCommit {
    Objects.requireNonNull(pipeline, "pipeline");
    Objects.requireNonNull(grouping, "grouping");
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(runDate, "runDate");
    Objects.requireNonNull(configFingerprint, "configFingerprint");
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(rollbackOfVersion, "rollbackOfVersion");
  }

  /** A run's own commit: not a rollback. */
  public StepwiseCommit(String pipeline, String grouping, String task, String runId, Optional<LocalDate> runDate,
      String configFingerprint, String dataset) {
    this(pipeline, grouping, task, runId, runDate, configFingerprint, dataset, OptionalLong.empty());
  }

  public boolean isRollback() {
    return rollbackOfVersion.isPresent();
  }

  /** Whether this is a run's own commit (not a rollback) of {@code task} for {@code date}. */
  public boolean isRunOf(String task, LocalDate date) {
    return !isRollback() && this.task.equals(task) && runDate.equals(Optional.of(date));
  }

  /**
   * The run named by a commit's user metadata; empty for metadata of anyone else (absent, not JSON,
   * or JSON without {@code "stepwise":1} and every field), so such a commit reads as not Stepwise's.
   */
  public static Optional<StepwiseCommit> parse(String userMetadata) {
    if (userMetadata == null || userMetadata.isBlank()) {
      return Optional.empty();
    }
    JsonNode node;
    try {
      node = JSON.readTree(userMetadata);
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
    if (node == null || !node.isObject() || !node.path("stepwise").isInt() || node.get("stepwise").intValue() != SHAPE_VERSION) {
      return Optional.empty();
    }
    Optional<String> pipeline = text(node, "pipeline");
    Optional<String> grouping = text(node, "grouping");
    Optional<String> task = text(node, "task");
    Optional<String> runId = text(node, "run_id");
    Optional<String> fingerprint = text(node, "config_fingerprint");
    Optional<String> dataset = text(node, "dataset");
    if (pipeline.isEmpty() || grouping.isEmpty() || task.isEmpty() || runId.isEmpty() || fingerprint.isEmpty()
        || dataset.isEmpty() || !node.has("run_date")) {
      return Optional.empty();
    }
    Optional<LocalDate> runDate;
    JsonNode date = node.get("run_date");
    if (date.isNull()) {
      runDate = Optional.empty();
    } else if (date.isTextual()) {
      try {
        runDate = Optional.of(LocalDate.parse(date.textValue()));
      } catch (DateTimeParseException e) {
        return Optional.empty();
      }
    } else {
      return Optional.empty();
    }
    OptionalLong rollbackOf = node.path("rollback_of_version").canConvertToLong() && node.get("rollback_of_version").isIntegralNumber()
        ? OptionalLong.of(node.get("rollback_of_version").longValue()) : OptionalLong.empty();
    return Optional.of(new StepwiseCommit(pipeline.get(), grouping.get(), task.get(), runId.get(), runDate,
        fingerprint.get(), dataset.get(), rollbackOf));
  }

  /** The user metadata that {@link #parse} reads back as this commit. */
  public String toJson() {
    ObjectNode node = JSON.createObjectNode();
    node.put("stepwise", SHAPE_VERSION);
    node.put("pipeline", pipeline);
    node.put("grouping", grouping);
    node.put("task", task);
    node.put("run_id", runId);
    if (runDate.isPresent()) {
      node.put("run_date", runDate.get().toString());
    } else {
      node.putNull("run_date");
    }
    node.put("config_fingerprint", configFingerprint);
    node.put("dataset", dataset);
    rollbackOfVersion.ifPresent(v -> node.put("rollback_of_version", v));
    return node.toString();
  }

  /** "run R (task T, run date D)" for messages. */
  public String describe() {
    return (isRollback() ? "rollback " : "run ") + runId + " (task " + task + ", run date "
        + runDate.map(LocalDate::toString).orElse("none") + ")";
  }

  private static Optional<String> text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isTextual() ? Optional.of(value.textValue()) : Optional.empty();
  }
}
