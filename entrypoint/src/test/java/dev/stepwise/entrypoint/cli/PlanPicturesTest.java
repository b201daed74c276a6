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
