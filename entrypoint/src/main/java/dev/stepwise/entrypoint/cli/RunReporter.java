package dev.stepwise.entrypoint.cli;

import dev.stepwise.core.model.RunContext;
import dev.stepwise.core.plan.ExecutionPlan;
import dev.stepwise.core.plan.TaskPlan;
import dev.stepwise.core.run.Phase;
import dev.stepwise.core.run.PipelineResult;
import dev.stepwise.core.run.RunListener;
import dev.stepwise.core.run.TaskResult;
import dev.stepwise.entrypoint.report.JvmWarmup;
import dev.stepwise.entrypoint.report.ReportJson;
import dev.stepwise.entrypoint.report.ReportNotWrittenException;
import dev.stepwise.entrypoint.report.RunReport;
import dev.stepwise.entrypoint.report.SparkFacts;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * The run report of one {@code stepwise run}: hears the session's facts and each task's JVM
 * warm-up while the tasks run, then writes the report (also of a failed run) and prints the
 * summary of a run that succeeded.
 */
final class RunReporter implements RunListener {
  /** Where the report goes: as shown to a person, and as Hadoop writes it. */
  record Target(String shown, org.apache.hadoop.fs.Path location) {}

  private final ExecutionPlan plan;
  private final List<TaskPlan> tasks;
  private final RunContext run;
  private final boolean resumed;
  private final Target target;
  private final JvmWarmup warmupBaseline;
  private final Map<String, JvmWarmup> taskWarmup = new LinkedHashMap<>();
  private JvmWarmup beforeTask;
  private SparkFacts spark;
  private Configuration hadoop;

  /** @param warmupBaseline what the JVM's warm-up counted before this run began */
  RunReporter(ExecutionPlan plan, List<TaskPlan> tasks, RunContext run, boolean resumed, Target target,
      JvmWarmup warmupBaseline) {
    this.plan = plan;
    this.tasks = tasks;
    this.run = run;
    this.resumed = resumed;
    this.target = target;
    this.warmupBaseline = warmupBaseline;
  }

  @Override
  public void sessionStarted(SparkSession session) {
    spark = SparkFacts.of(session);
    hadoop = session.sparkContext().hadoopConfiguration();
  }

  @Override
  public void taskStarted(String task, int steps) {
    beforeTask = JvmWarmup.now();
  }

  @Override
  public void taskFinished(TaskResult result) {
    taskWarmup.put(result.task(), JvmWarmup.now().since(beforeTask));
  }

  /**
   * Writes the report and prints the summary; the run's own failure, if any, is then thrown (a
   * report that could not be written is told after it).
   *
   * @param jvm the JVM's start-up before the command began, if this process was launched for it
   */
  int finish(PipelineResult result, List<Phase> jvm, PrintWriter out) throws Exception {
    JvmWarmup processWarmup = JvmWarmup.now().since(warmupBaseline);
    List<Phase> phases = new ArrayList<>(jvm);
    phases.addAll(result.phases());
    Optional<ReportNotWrittenException> reportFailure = Optional.empty();
    try {
      ReportJson.write(RunReport.of(plan, tasks, run, spark, result.results(), phases,
          result.failure().map(Exception::getMessage), resumed, processWarmup, taskWarmup), target.location(), hadoop);
    } catch (ReportNotWrittenException e) {
      reportFailure = Optional.of(e);
    }
    if (result.failure().isPresent()) {
      Exception failure = result.failure().get();
      reportFailure.ifPresentOrElse(failure::addSuppressed,
          () -> out.printf("run report (failed run): %s%n", target.shown()));
      out.flush();
      throw failure;
    }
    if (reportFailure.isPresent()) {
      throw reportFailure.get();
    }
    ProgressPrinter.printPhases(out, phases);
    ProgressPrinter.printWarmup(out, processWarmup, taskWarmup);
    out.printf("run report: %s%n", target.shown());
    out.flush();
    return ExitCodes.OK;
  }
}
