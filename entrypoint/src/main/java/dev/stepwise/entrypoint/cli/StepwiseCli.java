package dev.stepwise.entrypoint.cli;

import dev.stepwise.core.model.UnresolvedPlaceholderException;
import dev.stepwise.core.model.UnsafeLocationException;
import dev.stepwise.core.problem.InvalidConfigException;
import dev.stepwise.core.run.MissingInputException;
import dev.stepwise.entrypoint.advise.UnusableReportsException;
import dev.stepwise.entrypoint.report.ReportNotWrittenException;
import dev.stepwise.entrypoint.report.UnreadableReportException;
import java.io.IOError;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.FSError;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The single entry point: one command line for every task of every grouping. */
@Command(
    name = "stepwise",
    mixinStandardHelpOptions = true,
    versionProvider = StepwiseCli.Version.class,
    description = "Runs config-grouped Spark pipelines: validate, plan, run a task, export an Airflow manifest, advise a grouping,"
        + " list a Delta dataset's history, roll back a task's run.",
    subcommands = {
      ValidateCommand.class,
      PlanCommand.class,
      RunCommand.class,
      ManifestCommand.class,
      AdviseCommand.class,
      HistoryCommand.class,
      RollbackCommand.class,
      CommandLine.HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:the run failed (data, Spark, a check, a missing input)",
      "2:bad usage or bad config, found before any SparkSession starts"
    })
public final class StepwiseCli implements Runnable {
  private final SessionFactory sessions;
  private final Optional<Launch> launch;

  StepwiseCli(SessionFactory sessions, Optional<Launch> launch) {
    this.sessions = sessions;
    this.launch = launch;
  }

  SessionFactory sessions() {
    return sessions;
  }

  /** Present when this command line is the process's main program (not inside a test). */
  Optional<Launch> launch() {
    return launch;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(new CommandLine(this), "a command is required");
  }

  /** The command line with Stepwise's exit codes and error rendering. */
  public static CommandLine commandLine(SessionFactory sessions) {
    return commandLine(sessions, Optional.empty());
  }

  /**
   * The name spark-submit is given ({@code --class}) and the manifest writes: {@code StepwiseMain}
   * keeps the name it has always had, outside this package.
   */
  public static final String MAIN_CLASS = "dev.stepwise.entrypoint.StepwiseMain";

  /**
   * The command line as the process's main program: sessions as spark-submit set them up (quiet
   * unless --verbose), run reports including the JVM's start-up.
   *
   * @return the exit code
   */
  public static int executeAsProcess(String[] args, Instant mainEntered) {
    return commandLine(new SparkSubmitSessionFactory(!isVerbose(args)), Launch.ofThisJvm(mainEntered)).execute(args);
  }

  private static boolean isVerbose(String[] args) {
    for (String arg : args) {
      if (arg.equals("--verbose") || arg.equals("-v")) {
        return true;
      }
    }
    return false;
  }

  /** The command line of a process launched for it: run reports then include the JVM's start-up. */
  static CommandLine commandLine(SessionFactory sessions, Launch launch) {
    return commandLine(sessions, Optional.of(launch));
  }

  private static CommandLine commandLine(SessionFactory sessions, Optional<Launch> launch) {
    CommandLine cl = new CommandLine(new StepwiseCli(sessions, launch));
    cl.setExecutionExceptionHandler((ex, line, parseResult) -> report(ex, line.getErr(), verbose(parseResult)));
    cl.setExecutionStrategy(parseResult -> {
      // A command with --jars makes the jars' loader the thread's context loader; an in-process caller
      // (a test, an embedding tool) gets its own back, not a loader over jars that may be gone.
      ClassLoader callersLoader = Thread.currentThread().getContextClassLoader();
      try {
        return new CommandLine.RunLast().execute(parseResult);
      } catch (FSError | IOError e) {
        // Hadoop reports a full disk as an Error ("No space left on device"), which picocli would let
        // escape as an uncaught exception with its whole trace: it is a failed run like any other.
        return report(new UncheckedIOException(e.getMessage(), new IOException(e.getMessage(), e)), cl.getErr(),
            verbose(parseResult));
      } finally {
        Thread.currentThread().setContextClassLoader(callersLoader);
      }
    });
    return cl;
  }

  private static boolean verbose(CommandLine.ParseResult parseResult) {
    return parseResult.subcommand() != null && parseResult.subcommand().hasMatchedOption("--verbose");
  }

  private static int report(Exception ex, PrintWriter err, boolean verbose) {
    int code;
    if (ex instanceof InvalidConfigException || ex instanceof UsageException
        || ex instanceof UnresolvedPlaceholderException || ex instanceof UnsafeLocationException
        || ex instanceof UnreadableReportException || ex instanceof UnusableReportsException) {
      err.println("stepwise: " + ex.getMessage());
      code = ExitCodes.USAGE;
    } else if (ex instanceof MissingInputException) {
      err.println("stepwise: " + ex.getMessage());
      code = ExitCodes.RUN_FAILED;
    } else if (MetastoreInUse.explain(ex).isPresent()) {
      err.println("stepwise: run failed: " + MetastoreInUse.explain(ex).get());
      code = ExitCodes.RUN_FAILED;
    } else {
      List<String> lines = FailureText.lines(ex);
      err.println("stepwise: run failed: " + (lines.isEmpty() ? ex.getClass().getSimpleName() : lines.get(0)));
      lines.stream().skip(1).forEach(line -> err.println("  " + line));
      code = ExitCodes.RUN_FAILED;
    }
    for (Throwable also : ex.getSuppressed()) {
      if (also instanceof ReportNotWrittenException) {
        err.println("stepwise: also: " + also.getMessage());
      }
    }
    if (verbose) {
      ex.printStackTrace(err);
    } else if (code == ExitCodes.RUN_FAILED && !(ex instanceof MissingInputException)) {
      err.println("(add --verbose for the stack trace)");
    }
    err.flush();
    return code;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = StepwiseCli.class.getPackage().getImplementationVersion();
      return new String[] {"stepwise " + (version == null ? "development build" : version)};
    }
  }
}
