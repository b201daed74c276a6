package dev.stepwise.entrypoint;

import dev.stepwise.entrypoint.cli.StepwiseCli;
import java.time.Instant;

/**
 * The class spark-submit and bin/stepwise launch: runs the command line and exits with its code. Its
 * name is a promise (Airflow manifests, spark-submit scripts and users' READMEs carry it), so it stays
 * here while the command line lives in {@code cli}.
 */
public final class StepwiseMain {
  private StepwiseMain() {}

  public static void main(String[] args) {
    Instant entered = Instant.now();
    System.exit(StepwiseCli.executeAsProcess(args, entered));
  }
}
