package dev.stepwise.entrypoint;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValueFactory;
import dev.stepwise.core.plan.ExecutionPlan;
import dev.stepwise.core.plan.TaskPlan;
import dev.stepwise.core.run.RunContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where a run report goes when {@code --metrics-out} is not given: under the pipeline's storage
 * root, one file per pipeline, grouping, task and run date, so a re-run replaces its own report and
 * {@code advise --metrics <root>/_reports/payments/per-step/}{@code *}{@code /run_date=D/report.json}
 * finds a whole pipeline run.
 */
final class ReportLocation {
  static final String FOLDER = "_reports";

  private ReportLocation() {}

  static Path defaultFor(PipelineOptions options, ExecutionPlan plan, List<TaskPlan> tasks, RunContext run) {
    String task = tasks.size() == 1 ? tasks.get(0).name() : "_all";
    return storageRoot(options).resolve(FOLDER).resolve(plan.pipeline().name()).resolve(plan.grouping().name())
        .resolve(task).resolve("run_date=" + run.runDate()).resolve("report.json");
  }

  /**
   * {@code pipeline.storage_root} as the config resolves it with the command's {@code --set}
   * overrides; the config model does not keep it because nothing else needs it.
   */
  private static Path storageRoot(PipelineOptions options) {
    try {
      Config config = options.source().parse();
      for (Map.Entry<String, String> override : options.overrides.entrySet()) {
        config = config.withValue(override.getKey(), ConfigValueFactory.fromAnyRef(override.getValue()));
      }
      config = config.resolve(ConfigResolveOptions.defaults().setUseSystemEnvironment(true));
      return Path.of(config.hasPath("pipeline.storage_root") ? config.getString("pipeline.storage_root") : ".");
    } catch (ConfigException e) {
      // The same config just loaded and validated: this cannot fail for a new reason.
      throw new IllegalStateException("cannot read pipeline.storage_root again: " + e.getMessage(), e);
    }
  }
}
