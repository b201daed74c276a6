package dev.stepwise.entrypoint.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run report's JSON: written from the record and read back into an equal record, keys and layout
 * exactly those of the example (written by the hand-typed writer the record replaced), for many
 * generated runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunReportJsonTest {
  /** The sample run the example file holds. */
  private static final long EXAMPLE_SEED = 108;
  private static final int RUNS = 200;

  @TempDir Path dir;
  private SampleReports samples;

  /** Loading the example's config and planning three groupings is most of this class's time: once. */
  @BeforeAll
  void samples(@TempDir Path data) {
    samples = new SampleReports(data);
  }

  @Test
  void everyGeneratedReportReadsBackEqualAndWritesBackTheSameText() throws IOException {
    for (long seed = 0; seed < RUNS; seed++) {
      RunReport report = samples.generate(seed).report();
      String text = ReportJson.text(report);
      Path file = Files.writeString(dir.resolve("report-" + seed + ".json"), text + "\n");
      ReportedRun read = ReportedRun.read(file);
      assertEquals(report, read.report(), "seed " + seed);
      assertEquals(text, ReportJson.text(read.report()), "seed " + seed);
    }
  }

  @Test
  void theExampleRunIsWrittenByteForByteAsTheExampleFile() throws IOException {
    assertEquals(example(), ReportJson.text(samples.generate(EXAMPLE_SEED).report()) + "\n");
  }

  /**
   * bench/bench.py, bin/checks/observability and docs/observability.md read these keys: no generated
   * report has a key the example lacks, and together they use every key of the example.
   */
  @Test
  void generatedReportsHaveExactlyTheKeysOfTheExample() throws IOException {
    ObjectMapper plain = new ObjectMapper();
    Set<String> expected = keyPaths(plain.readTree(example()));
    Set<String> seen = new TreeSet<>();
    for (long seed = 0; seed < RUNS; seed++) {
      Set<String> keys = keyPaths(plain.readTree(ReportJson.text(samples.generate(seed).report())));
      Set<String> unexpected = new TreeSet<>(keys);
      unexpected.removeAll(expected);
      assertEquals(Set.of(), unexpected, "seed " + seed + ": keys the example does not have");
      seen.addAll(keys);
    }
    assertEquals(expected, seen);
    assertTrue(expected.containsAll(Set.of("/schema_version", "/tasks[]/written[]/reused_from_run",
        "/tasks[]/warmup/jit_cpu_seconds", "/phases[]/start_seconds", "/spark/settings")), expected.toString());
  }

  @Test
  void keysANewerStepwiseAddsAreIgnored() throws IOException {
    ObjectMapper plain = new ObjectMapper();
    com.fasterxml.jackson.databind.node.ObjectNode json =
        (com.fasterxml.jackson.databind.node.ObjectNode) plain.readTree(example());
    json.put("added_later", "x");
    Path file = Files.writeString(dir.resolve("newer.json"), plain.writeValueAsString(json));
    assertEquals(samples.generate(EXAMPLE_SEED).report(), ReportedRun.read(file).report());
  }

  @Test
  void filesThatAreNoReportOfThisVersionAreRefusedByName() throws IOException {
    Map<String, String> refusals = Map.of(
        "[1, 2]", "is not a stepwise run report (no schema_version)",
        "{\"pipeline\": \"payments\"}", "is not a stepwise run report (no schema_version)",
        "{\"schema_version\": 2, \"pipeline\": \"payments\"}", "has report schema_version 2; this stepwise reads version 1",
        "{\"schema_version\": 1, \"wall_seconds\": \"soon\"}", "cannot read run report",
        "{\"schema_version\": 1,", "cannot read run report");
    for (Map.Entry<String, String> refusal : refusals.entrySet()) {
      Path file = Files.writeString(dir.resolve("bad.json"), refusal.getKey());
      UnreadableReportException e = assertThrows(UnreadableReportException.class, () -> ReportedRun.read(file),
          refusal.getKey());
      assertTrue(e.getMessage().startsWith(file.toString()) || e.getMessage().contains(" " + file + ":"),
          e.getMessage());
      assertTrue(e.getMessage().contains(refusal.getValue()), refusal.getKey() + " -> " + e.getMessage());
    }
    Path missing = dir.resolve("missing.json");
    assertTrue(assertThrows(UnreadableReportException.class, () -> ReportedRun.read(missing)).getMessage()
        .contains("cannot read run report " + missing));
  }

  private static String example() throws IOException {
    try (InputStream in = RunReportJsonTest.class.getResourceAsStream("/report/example-report.json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Every key as a path, array elements collapsed: "/tasks[]/written[]/rows". */
  private static Set<String> keyPaths(JsonNode json) {
    Set<String> paths = new TreeSet<>();
    collect(json, "", paths);
    return paths;
  }

  private static void collect(JsonNode node, String path, Set<String> into) {
    if (node.isArray()) {
      node.forEach(element -> collect(element, path + "[]", into));
    } else if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        String child = path + "/" + field.getKey();
        into.add(child);
        // Spark settings are data, not schema: their keys vary with the run.
        if (!child.endsWith("settings")) {
          collect(field.getValue(), child, into);
        }
      }
    }
  }
}
