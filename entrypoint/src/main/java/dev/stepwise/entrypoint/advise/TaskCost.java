package dev.stepwise.entrypoint;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What one task of a pipeline run cost, from its run report.
 *
 * @param overheadByPhase overhead seconds by phase name ("spark session start", "jvm start", ...)
 */
record TaskCost(String task, List<String> steps, Map<String, String> sparkSettings, double overheadSeconds,
    double computeSeconds, Map<String, Double> overheadByPhase, Path report) {

  double runSeconds() {
    return overheadSeconds + computeSeconds;
  }

  double overheadShare() {
    return runSeconds() == 0 ? 0 : overheadSeconds / runSeconds();
  }
}
