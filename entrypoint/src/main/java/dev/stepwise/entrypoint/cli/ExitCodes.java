package dev.stepwise.entrypoint.cli;

/** The exit codes promised to users and orchestrators. */
public final class ExitCodes {
  public static final int OK = 0;
  /** The run failed: data, Spark, a check, a missing input. A retry may help. */
  public static final int RUN_FAILED = 1;
  /** Bad usage or bad config, found before any SparkSession starts. A retry will not help. */
  public static final int USAGE = 2;

  private ExitCodes() {}
}
