package dev.stepwise.entrypoint.cli;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The number of shuffle partitions an embedded local session gets when neither the launcher nor the
 * task chose one. Spark's default of 200 is sized for clusters: on a laptop or a CI box every
 * shuffle of a small input then runs 200 tiny tasks and writes up to 200 files per dataset, which
 * {@code bin/bench} measured as the largest single cost of a small run. Two partitions per local
 * core keeps both cores busy and leaves adaptive execution room to split skew.
 */
final class LocalShufflePartitions {
  static final String KEY = "spark.sql.shuffle.partitions";
  private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\*|\\d+)(?:,\\s*\\d+)?])?");

  private LocalShufflePartitions() {
  }

  /** The default for {@code master}, or empty when the master is not local (the cluster's own defaults hold). */
  static Optional<Integer> forMaster(String master, int availableProcessors) {
    Matcher local = LOCAL.matcher(master.strip());
    if (!local.matches()) {
      return Optional.empty();
    }
    String threads = local.group(1);
    int cores = threads == null ? 1 : threads.equals("*") ? availableProcessors : Integer.parseInt(threads);
    return Optional.of(Math.max(2, 2 * cores));
  }
}
