package dev.stepwise.entrypoint;

/** The class spark-submit and bin/stepwise launch: runs the command line and exits with its code. */
public final class StepwiseMain {
  private StepwiseMain() {}

  public static void main(String[] args) {
    System.exit(StepwiseCli.commandLine(new SparkSubmitSessionFactory(!isVerbose(args))).execute(args));
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
