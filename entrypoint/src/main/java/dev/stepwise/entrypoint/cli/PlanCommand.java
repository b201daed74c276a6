package dev.stepwise.entrypoint.cli;

import dev.stepwise.core.plan.ExecutionPlan;
import dev.stepwise.entrypoint.render.Json;
import dev.stepwise.entrypoint.render.PlanFormats;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "plan", description = "Show the tasks of a grouping in run order: steps, reads, writes, cached data.")
final class PlanCommand implements Callable<Integer> {
  enum Format { text, json, dot, mermaid }

  @Mixin PipelineOptions options;
  @Spec CommandSpec spec;

  @Option(names = "--format", defaultValue = "text", description = "One of: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Format format;

  @Override
  public Integer call() {
    ExecutionPlan plan = options.plan();
    String rendered = switch (format) {
      case text -> PlanFormats.text(plan);
      case json -> Json.write(PlanFormats.json(plan)) + "\n";
      case dot -> PlanFormats.dot(plan);
      case mermaid -> PlanFormats.mermaid(plan);
    };
    spec.commandLine().getOut().print(rendered);
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
