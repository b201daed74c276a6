package dev.stepwise.entrypoint.cli;

import dev.stepwise.core.model.PipelineConfig;
import dev.stepwise.entrypoint.advise.GroupingProposal;
import dev.stepwise.entrypoint.advise.TimelineHtml;
import dev.stepwise.entrypoint.report.ReportedRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "advise",
    description = "Read the run reports of one pipeline run and print a grouping file with less overhead.")
final class AdviseCommand implements Callable<Integer> {
  @Mixin PipelineOptions options;
  @Spec CommandSpec spec;

  @Option(names = "--metrics", paramLabel = "FILE", arity = "1..*", required = true,
      description = "Run reports (report.json) of every task of one pipeline run.")
  List<Path> metrics;

  @Option(names = "--threshold", paramLabel = "SHARE", defaultValue = "0.10",
      description = "Merge tasks whose overhead is at least this share of their run time (default: ${DEFAULT-VALUE}).")
  double threshold;

  @Option(names = "--out", paramLabel = "FILE", description = "Also write the proposed grouping file here.")
  Path out;

  @Option(names = "--timeline", paramLabel = "FILE.html",
      description = "Also write a self-contained HTML timeline of the run's tasks and steps.")
  Path timeline;

  @Override
  public Integer call() {
    if (options.grouping != null) {
      throw new UsageException("advise takes the grouping from the reports; drop --grouping");
    }
    if (!(threshold > 0 && threshold < 1)) {
      throw new UsageException("--threshold must be a share between 0 and 1 (e.g. 0.10 for 10%), got " + threshold);
    }
    List<ReportedRun> runs = metrics.stream().map(ReportedRun::read).toList();
    GroupingProposal.checkOneRun(runs);
    String reported = runs.get(0).report().pipeline();
    PipelineConfig pipeline = options.pipeline();
    if (!pipeline.name().equals(reported)) {
      throw new UsageException("the reports are of pipeline '" + reported + "' but the config "
          + options.source().describe() + " defines '" + pipeline.name() + "'; pass its config with --config");
    }
    String grouping = GroupingProposal.text(pipeline, runs, threshold);
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.print(grouping);
    write(out, grouping);
    if (timeline != null) {
      write(timeline, TimelineHtml.render(runs.stream().map(ReportedRun::report).toList()));
    }
    stdout.flush();
    return ExitCodes.OK;
  }

  private static void write(Path path, String content) {
    if (path == null) {
      return;
    }
    try {
      Path parent = path.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Files.writeString(path, content);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path + ": choose a writable file", e);
    }
  }
}
