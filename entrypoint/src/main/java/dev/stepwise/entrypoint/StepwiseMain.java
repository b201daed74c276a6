package dev.stepwise.entrypoint;

import java.time.Instant;

/** The class spark-submit and bin/stepwise launch: runs the command line and exits with its code. */
public final class StepwiseMain {
  private StepwiseMain() {}

  public static void main(String[] args) {
    Instant entered = Instant.now();
    System.exit(StepwiseCli.commandLine(new SparkSubmitSessionFactory(!isVerbose(args)), Launch.ofThisJvm(entered))
        .execute(args));
  }

  private static boolean isVerbose(String[] args) {
    for (String arg : args) {
      if (arg.equals("--verbose") || arg.equals("-v")) {
        return true;
      }
    }
    return false;
  }
}
