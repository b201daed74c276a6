package dev.stepwise.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.core.model.RunDatePartition;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Answers, from a Delta table's log alone (no SparkSession), whether a run date's data is there: the
 * pre-flight check of a Delta input. A table that keeps run dates apart holds a date when, replaying
 * the commits, a data file of that date's partition is live, or a Stepwise commit for that date made
 * it (a run may publish no rows). A table without a run-date column holds data once it has a commit.
 */
final class DeltaLogScan {
  private static final Pattern JSON_COMMIT = Pattern.compile("(\\d{20})\\.json");
  private static final ObjectMapper JSON = new ObjectMapper();

  private DeltaLogScan() {}

  /** What the log says of a run date. */
  enum Holds {
    YES,
    NO,
    /** The log's oldest commits were cleaned up into a checkpoint and the newer ones do not mention the date. */
    UNKNOWN
  }

  static Holds holds(FileSystem fs, Path table, Optional<RunDatePartition> partition) throws IOException {
    Path log = new Path(table, DeltaTables.LOG);
    if (DeltaTables.inspect(fs, table) != DeltaTables.Found.TABLE) {
      return Holds.NO;
    }
    if (partition.isEmpty()) {
      return Holds.YES;
    }
    String column = partition.get().column();
    String date = partition.get().requireDate().toString();
    TreeMap<Long, Path> commits = new TreeMap<>();
    for (FileStatus f : fs.listStatus(log)) {
      Matcher m = JSON_COMMIT.matcher(f.getPath().getName());
      if (m.matches()) {
        commits.put(Long.parseLong(m.group(1)), f.getPath());
      }
    }
    Set<String> live = new HashSet<>();
    boolean stepwiseCommitForDate = false;
    for (Path commit : commits.values()) {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(commit), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          if (line.isBlank()) {
            continue;
          }
          JsonNode action = JSON.readTree(line);
          if (action.has("add") && date.equals(action.get("add").path("partitionValues").path(column).asText(null))) {
            live.add(action.get("add").path("path").asText());
          } else if (action.has("remove")) {
            live.remove(action.get("remove").path("path").asText());
          } else if (action.has("commitInfo")) {
            Optional<StepwiseCommit> info = StepwiseCommit.parse(action.get("commitInfo").path("userMetadata").asText(null));
            stepwiseCommitForDate |= info.flatMap(StepwiseCommit::runDate).map(d -> d.toString().equals(date)).orElse(false);
          }
        }
      }
    }
    if (!live.isEmpty() || stepwiseCommitForDate) {
      return Holds.YES;
    }
    boolean wholeHistory = !commits.isEmpty() && commits.firstKey() == 0L;
    return wholeHistory ? Holds.NO : Holds.UNKNOWN;
  }
}
