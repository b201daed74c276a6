package dev.stepwise.core.io;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What rolling back one task's run of one date means for one Delta table, decided from its history
 * alone: restore the version just before the run's latest commit, as long as nothing was written on
 * top of it. Pure, so that every shape of history can be checked without Spark.
 */
public sealed interface RollbackChoice {

  /** Whether this choice forbids the rollback (of this table and so of every table of the task). */
  boolean refuses();

  /** One line saying what happens (or why not), for the table named {@code dataset}. */
  String describe(String dataset);

  /** Restore {@code toVersion}, the version before {@code runCommit}. */
  record Restore(TableCommit runCommit, long toVersion) implements RollbackChoice {
    @Override
    public boolean refuses() {
      return false;
    }

    @Override
    public String describe(String dataset) {
      return dataset + ": restore version " + toVersion + ", undoing " + runCommit.describe();
    }
  }

  /** The task never committed to this table for that date: nothing to undo here. */
  record NotWritten(String task, LocalDate runDate) implements RollbackChoice {
    @Override
    public boolean refuses() {
      return false;
    }

    @Override
    public String describe(String dataset) {
      return dataset + ": no commit of task " + task + " for run date " + runDate + "; left as it is";
    }
  }

  /** Only rollbacks of this very commit came after it: the run is undone already. */
  record AlreadyRolledBack(TableCommit runCommit, TableCommit rollback) implements RollbackChoice {
    @Override
    public boolean refuses() {
      return false;
    }

    @Override
    public String describe(String dataset) {
      return dataset + ": " + runCommit.describe() + " was rolled back already by version " + rollback.version()
          + "; left as it is";
    }
  }

  /** Someone wrote after the run: restoring would throw their commits away too. */
  record WrittenOnTop(TableCommit runCommit, List<TableCommit> onTop) implements RollbackChoice {
    public WrittenOnTop {
      onTop = List.copyOf(onTop);
    }

    @Override
    public boolean refuses() {
      return true;
    }

    @Override
    public String describe(String dataset) {
      String others = onTop.size() == 1 ? "" : " and " + (onTop.size() - 1) + " later version"
          + (onTop.size() == 2 ? "" : "s") + " (" + onTop.stream().skip(1).map(c -> String.valueOf(c.version()))
              .collect(Collectors.joining(", ")) + ")";
      return dataset + ": refused: " + onTop.get(0).describe() + others + " was written on top of "
          + runCommit.describe() + "; restoring would undo it too. Roll back the later runs first, or restore by hand";
    }
  }

  /**
   * The run created the table (its commit is version 0): there is no earlier version to restore,
   * and Stepwise does not delete tables. Refused.
   */
  record CreatedByRun(TableCommit runCommit) implements RollbackChoice {
    @Override
    public boolean refuses() {
      return true;
    }

    @Override
    public String describe(String dataset) {
      return dataset + ": refused: " + runCommit.describe() + " created the table (version 0), so there is no"
          + " version before it to restore; to undo it, delete the table's folder, or re-run the task for that date";
    }
  }

  /**
   * Decides for one table.
   *
   * @param history its commits in any order (as many as the Delta log still has)
   */
  static RollbackChoice decide(List<TableCommit> history, String task, LocalDate runDate) {
    List<TableCommit> ordered = history.stream().sorted(Comparator.comparingLong(TableCommit::version)).toList();
    Optional<TableCommit> latestRun = ordered.stream()
        .filter(c -> c.run().map(r -> r.isRunOf(task, runDate)).orElse(false))
        .reduce((first, second) -> second);
    if (latestRun.isEmpty()) {
      return new NotWritten(task, runDate);
    }
    TableCommit run = latestRun.get();
    List<TableCommit> onTop = ordered.stream().filter(c -> c.version() > run.version()).toList();
    if (!onTop.isEmpty()) {
      boolean onlyRollbacksOfIt = onTop.stream().allMatch(c -> c.run()
          .map(r -> r.rollbackOfVersion().isPresent() && r.rollbackOfVersion().getAsLong() == run.version())
          .orElse(false));
      return onlyRollbacksOfIt ? new AlreadyRolledBack(run, onTop.get(onTop.size() - 1)) : new WrittenOnTop(run, onTop);
    }
    if (run.version() == 0) {
      return new CreatedByRun(run);
    }
    return new Restore(run, run.version() - 1);
  }
}
