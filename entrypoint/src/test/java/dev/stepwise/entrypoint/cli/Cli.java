package dev.stepwise.entrypoint.cli;

import dev.stepwise.examples.payments.GenerateSampleData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;

/** Runs the real command line in-process and keeps what it printed. */
final class Cli {
  record Result(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- out:\n" + out + "--- err:\n" + err;
    }
  }

  private final SessionFactory sessions;

  private Cli(SessionFactory sessions) {
    this.sessions = sessions;
  }

  /** Tasks run in the shared test session, which the command line must not stop. */
  static Cli withSession(SparkSession spark) {
    return new Cli(new SessionFactory() {
      @Override
      public SparkSession open(String appName, Map<String, String> settings) {
        switchTask(spark, settings);
        return spark;
      }

      @Override
      public void close(SparkSession session) {}
    });
  }

  /** For commands that must never reach Spark: opening a session fails the test. */
  static Cli withoutSpark() {
    return new Cli(new SessionFactory() {
      @Override
      public SparkSession open(String appName, Map<String, String> settings) {
        throw new AssertionError("a SparkSession was requested, but this command must fail before Spark starts");
      }

      @Override
      public void close(SparkSession session) {}
    });
  }

  /** The session cannot start: {@code failure} is thrown where Spark would throw it. */
  static Cli whoseSessionFailsWith(Throwable failure) {
    return new Cli(new SessionFactory() {
      @Override
      public SparkSession open(String appName, Map<String, String> settings) {
        if (failure instanceof Error error) {
          throw error;
        }
        throw (RuntimeException) failure;
      }

      @Override
      public void close(SparkSession session) {}
    });
  }

  Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    if (args.length > 0 && args[0].equals("generate")) {
      // The example's own command line, as bin/stepwise generate runs it: not part of the entry point.
      int code = GenerateSampleData.run(Arrays.copyOfRange(args, 1, args.length), new PrintWriter(out, true),
          new PrintWriter(err, true));
      return new Result(code, out.toString(), err.toString());
    }
    CommandLine cl = StepwiseCli.commandLine(sessions);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }
}
