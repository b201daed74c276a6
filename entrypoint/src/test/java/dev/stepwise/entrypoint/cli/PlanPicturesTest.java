package dev.stepwise.entrypoint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shapes `plan` prints: graph depth, width and critical path; DOT and Mermaid clusters. */
class PlanPicturesTest {
  @TempDir Path dir;

  private Cli.Result plan(String grouping, String format) {
    Cli.Result result = new ExamplePipeline(Cli.withoutSpark(), dir).command("plan", "--grouping", grouping,
        "--format", format);
    assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
    return result;
  }

  @Test
  void textGivesDepthWidthAndCriticalPathOfTheTaskAndStepGraphs() {
    String out = plan("daily", "text").out();
    assertTrue(out.contains("task graph: depth 3, width 2, critical path ingest -> ledger -> reporting"), out);
    assertTrue(out.contains("step graph: depth 8, width 3, critical path parse_events -> deduplicate ->"
        + " normalize_currencies -> enrich_with_bookings -> classify -> compute_fees -> post_ledger -> check_ledger"),
        out);
  }

  @Test
  void textSaysHowEachTaskKeepsWhatItUsesTwiceAndWhy() {
    String daily = plan("daily", "text").out();
    assertTrue(daily.contains("   read back: payments_with_fees, used 2 times: written as columnar files: later steps"
        + " read the written files, so it is computed once and not cached\n"), daily);
    assertTrue(daily.contains("   read back: ledger_entries, used 2 times"), daily);
    assertTrue(daily.contains("   re-read:   payments_with_fees, used 2 times: read from columnar files: reading the"
        + " needed columns again costs less than a cache\n"), daily);
    assertTrue(!daily.contains("cached:"), "daily caches nothing by cost:\n" + daily);
    String single = plan("single", "text").out();
    assertTrue(single.contains("   cached:    bookings, used 2 times: read from row-based files"), single);
    assertTrue(single.contains("   cached:    payments_with_fees, used 3 times: computed in this task and not"
        + " written"), single);
  }

  @Test
  void jsonListsEveryReusedDatasetWithItsReason() {
    String json = plan("single", "json").out();
    assertTrue(json.contains("\"cache_policy\" : \"by-cost\""), json);
    assertTrue(json.contains("\"cached\" : [ \"bookings\", \"payments_with_fees\" ]"), json);
    assertTrue(json.matches("(?s).*\"dataset\" : \"ledger_entries\",\\s*\"uses\" : 3,\\s*\"kept\" : \"read_back\","
        + "\\s*\"reason\" : \"written_as_columns\".*"), json);
  }

  @Test
  void perStepHasAsManySequentialTasksAsTheStepGraphIsDeep() {
    assertTrue(plan("per-step", "text").out().contains("task graph: depth 8, width 3"));
  }

  @Test
  void dotClustersStepsByTaskAndMarksWrittenDatasets() {
    String dot = plan("daily", "dot").out();
    assertEquals(4, dot.split("subgraph \"cluster_", -1).length - 1, dot);
    assertTrue(dot.contains("\"ds_classified_payments\" [shape=cylinder, label=\"classified_payments\\n[crosses tasks]\""), dot);
    assertTrue(dot.contains("\"ds_market_revenue\" [shape=cylinder, label=\"market_revenue\\n[output]\""), dot);
    assertTrue(dot.contains("\"deduplicate\" -> \"normalize_currencies\" [label=\"unique_payments\", style=dotted]"), dot);
  }

  @Test
  void mermaidClustersStepsByTaskAndClassesWrittenDatasets() {
    String mermaid = plan("daily", "mermaid").out();
    assertEquals(4, mermaid.split("\n  subgraph task_", -1).length - 1, mermaid);
    assertTrue(mermaid.contains("ds_classified_payments[(\"classified_payments [crosses tasks]\")]:::cross_task"), mermaid);
  }
}
