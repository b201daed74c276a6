package dev.stepwise.entrypoint.cli;

import dev.stepwise.core.plan.ExecutionPlan;
import dev.stepwise.entrypoint.render.Counted;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "validate", description = "Check the pipeline config and a grouping without starting Spark.")
final class ValidateCommand implements Callable<Integer> {
  @Mixin PipelineOptions options;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    ExecutionPlan plan = options.plan();
    spec.commandLine().getOut().printf("ok: pipeline '%s' (%s, %s), grouping '%s' (%s)%n",
        plan.pipeline().name(), Counted.of(plan.pipeline().datasets().size(), "dataset"),
        Counted.of(plan.pipeline().steps().size(), "step"), plan.grouping().name(),
        Counted.of(plan.tasks().size(), "task"));
    return ExitCodes.OK;
  }
}
