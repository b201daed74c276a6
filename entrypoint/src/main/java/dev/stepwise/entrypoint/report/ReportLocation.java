package dev.stepwise.entrypoint.report;

import dev.stepwise.core.model.RunContext;
import dev.stepwise.core.model.StorageRoot;
import dev.stepwise.core.plan.ExecutionPlan;
import dev.stepwise.core.plan.TaskPlan;
import java.util.List;

/**
 * Where a run report goes when {@code --metrics-out} is not given: under the pipeline's storage
 * root, one file per pipeline, grouping, task and run date, so a re-run replaces its own report and
 * {@code advise --metrics <root>/_reports/payments/per-step/}{@code *}{@code /run_date=D/report.json}
 * finds a whole pipeline run. A location Hadoop reads, whatever the root's scheme ({@code file:},
 * {@code hdfs:}, {@code s3a:} or a plain path).
 */
public final class ReportLocation {
  static final String FOLDER = "_reports";

  private ReportLocation() {}

  public static String defaultFor(ExecutionPlan plan, List<TaskPlan> tasks, RunContext run) {
    String task = tasks.size() == 1 ? tasks.get(0).name() : "_all";
    // A pipeline without storage_root keeps its reports in the working directory, as it always has.
    StorageRoot root = plan.pipeline().storageRoot()
        .orElseGet(() -> StorageRoot.declared(".", StorageRoot.Origin.PIPELINE));
    return root.child(FOLDER, plan.pipeline().name(), plan.grouping().name(), task, "run_date=" + run.runDate(),
        "report.json");
  }
}
