package dev.stepwise.entrypoint.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;

/** One run report read back from its JSON file, with the file it came from (for messages). */
public record ReportedRun(Path file, RunReport report) {

  /**
   * @throws UnreadableReportException when the file cannot be read, is no run report, or is of
   *     another schema version
   */
  public static ReportedRun read(Path file) {
    JsonNode root;
    try {
      root = ReportJson.tree(file);
    } catch (IOException e) {
      throw new UnreadableReportException("cannot read run report " + file + ": " + e.getMessage());
    }
    // The version decides how the rest reads, so it is checked on the tree before the record is bound.
    int version = ReportJson.schemaVersion(root).orElseThrow(() -> new UnreadableReportException(
        file + " is not a stepwise run report (no schema_version)"));
    if (version != RunReport.SCHEMA_VERSION) {
      throw new UnreadableReportException(file + " has report schema_version " + version
          + "; this stepwise reads version " + RunReport.SCHEMA_VERSION + ": use the stepwise that wrote it");
    }
    try {
      return new ReportedRun(file, ReportJson.fromTree(root));
    } catch (JsonProcessingException e) {
      throw new UnreadableReportException("cannot read run report " + file + ": " + e.getOriginalMessage());
    }
  }
}
