package dev.stepwise.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

/**
 * Which run made a Delta commit: the {@code userMetadata} of every commit Stepwise makes, so a
 * table's history answers "which run wrote this version". One compact JSON object, always with the
 * same keys in the same order:
 *
 * <pre>{"stepwise":1,"pipeline":"payments","grouping":"daily","task":"ledger","run_id":"...",
 * "run_date":"2026-11-21","config_fingerprint":"ab12...","dataset":"ledger_entries"}</pre>
 *
 * {@code run_date} is JSON {@code null} for a run without a date.
 */
public record DeltaCommitInfo(String pipeline, String grouping, String task, String runId,
    Optional<LocalDate> runDate, String configFingerprint, String dataset) {
  /** The version of this shape; a reader skips metadata of a version it does not know. */
  public static final int VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper();

  public DeltaCommitInfo {
    Objects.requireNonNull(pipeline, "pipeline");
    Objects.requireNonNull(grouping, "grouping");
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(runDate, "runDate");
    Objects.requireNonNull(configFingerprint, "configFingerprint");
    Objects.requireNonNull(dataset, "dataset");
  }

  /** The compact JSON written as a commit's {@code userMetadata}. */
  public String toJson() {
    return "{\"stepwise\":" + VERSION
        + ",\"pipeline\":" + quoted(pipeline)
        + ",\"grouping\":" + quoted(grouping)
        + ",\"task\":" + quoted(task)
        + ",\"run_id\":" + quoted(runId)
        + ",\"run_date\":" + runDate.map(d -> quoted(d.toString())).orElse("null")
        + ",\"config_fingerprint\":" + quoted(configFingerprint)
        + ",\"dataset\":" + quoted(dataset)
        + "}";
  }

  /**
   * The run a commit's {@code userMetadata} names; empty for metadata Stepwise did not write (none,
   * another tool's, another version of this shape, or not JSON at all).
   */
  public static Optional<DeltaCommitInfo> parse(String userMetadata) {
    if (userMetadata == null || userMetadata.isBlank()) {
      return Optional.empty();
    }
    try {
      JsonNode root = JSON.readTree(userMetadata);
      if (root == null || !root.isObject() || !root.path("stepwise").isInt() || root.get("stepwise").intValue() != VERSION) {
        return Optional.empty();
      }
      JsonNode date = root.path("run_date");
      Optional<LocalDate> runDate = date.isTextual() ? Optional.of(LocalDate.parse(date.textValue())) : Optional.empty();
      if (!date.isTextual() && !date.isNull()) {
        return Optional.empty();
      }
      return Optional.of(new DeltaCommitInfo(text(root, "pipeline"), text(root, "grouping"), text(root, "task"),
          text(root, "run_id"), runDate, text(root, "config_fingerprint"), text(root, "dataset")));
    } catch (java.io.IOException | DateTimeParseException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static String text(JsonNode root, String key) {
    JsonNode value = root.get(key);
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException("no text at " + key);
    }
    return value.textValue();
  }

  private static String quoted(String value) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04X", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
