package dev.stepwise.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Rollback's choice over generated histories: random sequences of commits by two tasks over three
 * run dates, by writers other than Stepwise, and by earlier rollbacks, checked against what the
 * history says by itself, with no Spark.
 */
class RollbackChoiceTest {
  private static final List<String> TASKS = List.of("ingest", "ledger");
  private static final List<LocalDate> DATES = List.of(LocalDate.parse("2026-11-20"), LocalDate.parse("2026-11-21"),
      LocalDate.parse("2026-11-22"));
  private static final int CASES = 3000;

  private static StepwiseCommit run(String task, LocalDate date, String runId) {
    return new StepwiseCommit("payments", "daily", task, runId, Optional.of(date), "f00d", "ledger_entries",
        OptionalLong.empty());
  }

  private static StepwiseCommit rollbackOf(StepwiseCommit run, long version) {
    return new StepwiseCommit(run.pipeline(), run.grouping(), run.task(), "rollback-" + version, run.runDate(),
        run.configFingerprint(), run.dataset(), OptionalLong.of(version));
  }

  private static TableCommit commit(long version, String operation, Optional<StepwiseCommit> by) {
    return new TableCommit(version, Instant.ofEpochSecond(1_790_000_000L + version), operation, by);
  }

  /** A history as a table would have it: versions counting up from {@code first}, one writer each. */
  private static List<TableCommit> generate(Random random) {
    long first = random.nextInt(4) == 0 ? random.nextInt(5) : 0; // a log cleanup dropped the oldest entries
    int size = 1 + (random.nextBoolean() ? random.nextInt(3) : random.nextInt(8));
    List<TableCommit> history = new ArrayList<>();
    for (long v = first; v < first + size; v++) {
      int kind = random.nextInt(10);
      if (kind < 6) {
        history.add(commit(v, "WRITE", Optional.of(run(TASKS.get(random.nextInt(TASKS.size())),
            DATES.get(random.nextInt(DATES.size())), "r" + v))));
      } else if (kind < 8 || history.isEmpty()) {
        history.add(commit(v, random.nextBoolean() ? "OPTIMIZE" : "MERGE", Optional.empty()));
      } else {
        // A rollback of some earlier run commit (a rollback of the latest one is the realistic case).
        List<TableCommit> runs = history.stream().filter(c -> c.run().isPresent() && !c.run().get().isRollback()).toList();
        if (runs.isEmpty()) {
          history.add(commit(v, "OPTIMIZE", Optional.empty()));
        } else {
          TableCommit undone = random.nextBoolean() ? runs.get(runs.size() - 1) : runs.get(random.nextInt(runs.size()));
          history.add(commit(v, "RESTORE", Optional.of(rollbackOf(undone.run().get(), undone.version()))));
        }
      }
    }
    return history;
  }

  @Test
  void generatedHistoriesGetTheRightVersionOrARefusal() {
    Random random = new Random(16);
    int[] seen = new int[5];
    for (int i = 0; i < CASES; i++) {
      List<TableCommit> history = generate(random);
      String pickedTask = TASKS.get(random.nextInt(TASKS.size()));
      LocalDate pickedDate = DATES.get(random.nextInt(DATES.size()));
      List<StepwiseCommit> runs = history.stream().flatMap(c -> c.run().stream()).filter(r -> !r.isRollback()).toList();
      if (!runs.isEmpty() && random.nextInt(3) > 0) {
        // Mostly a task and date that did write here, often the latest run: where the cases are.
        StepwiseCommit chosen = random.nextBoolean() ? runs.get(runs.size() - 1) : runs.get(random.nextInt(runs.size()));
        pickedTask = chosen.task();
        pickedDate = chosen.runDate().orElseThrow();
      }
      String task = pickedTask;
      LocalDate date = pickedDate;
      List<TableCommit> shuffled = new ArrayList<>(history);
      Collections.shuffle(shuffled, random);
      RollbackChoice choice = RollbackChoice.decide(shuffled, task, date);
      String context = "case " + i + ": rollback " + task + " " + date + " over " + history;
      assertEquals(choice, RollbackChoice.decide(history, task, date), "the order of the history does not matter; " + context);

      int last = history.size() - 1;
      int runIndex = last;
      while (runIndex >= 0 && !history.get(runIndex).run().map(r -> r.isRunOf(task, date)).orElse(false)) {
        runIndex--;
      }
      if (runIndex < 0) {
        assertInstanceOf(RollbackChoice.NotWritten.class, choice, context);
        assertFalse(choice.refuses(), context);
        seen[0]++;
        continue;
      }
      TableCommit runCommit = history.get(runIndex);
      List<TableCommit> after = history.subList(runIndex + 1, history.size());
      if (after.isEmpty() && runCommit.version() == 0) {
        assertEquals(new RollbackChoice.CreatedByRun(runCommit), choice, context);
        assertTrue(choice.refuses(), context);
        seen[1]++;
      } else if (after.isEmpty()) {
        assertEquals(new RollbackChoice.Restore(runCommit, runCommit.version() - 1), choice, context);
        assertFalse(choice.refuses(), context);
        seen[2]++;
        // Once restored (a rollback commit on top), rolling back again changes nothing.
        List<TableCommit> restored = new ArrayList<>(history);
        restored.add(commit(runCommit.version() + 1, "RESTORE",
            Optional.of(rollbackOf(runCommit.run().get(), runCommit.version()))));
        assertInstanceOf(RollbackChoice.AlreadyRolledBack.class, RollbackChoice.decide(restored, task, date), context);
      } else if (after.stream().allMatch(c -> c.run().map(r -> r.rollbackOfVersion().equals(
          OptionalLong.of(runCommit.version()))).orElse(false))) {
        assertEquals(new RollbackChoice.AlreadyRolledBack(runCommit, after.get(after.size() - 1)), choice, context);
        assertFalse(choice.refuses(), context);
        seen[3]++;
      } else {
        RollbackChoice.WrittenOnTop refused = assertInstanceOf(RollbackChoice.WrittenOnTop.class, choice, context);
        assertTrue(refused.refuses(), context);
        assertEquals(runCommit, refused.runCommit(), context);
        assertEquals(runCommit.version() + 1, refused.onTop().get(0).version(), "names the version right on top; " + context);
        assertEquals(after, refused.onTop(), context);
        String line = refused.describe("ledger_entries");
        assertTrue(line.contains("version " + (runCommit.version() + 1)) && line.contains(runCommit.run().get().runId()),
            "the refusal names the version on top and the run; " + line);
        seen[4]++;
      }
    }
    for (int kind = 0; kind < seen.length; kind++) {
      assertTrue(seen[kind] > CASES / 50, "every kind of outcome is generated often: " + java.util.Arrays.toString(seen));
    }
  }

  @Test
  void aRunOfAnotherDateOrTaskOnTopRefusesButADifferentTableIsIndependent() {
    StepwiseCommit ledger21 = run("ledger", DATES.get(1), "r1");
    StepwiseCommit ledger22 = run("ledger", DATES.get(2), "r2");
    List<TableCommit> history = List.of(commit(0, "WRITE", Optional.of(run("ingest", DATES.get(0), "r0"))),
        commit(1, "WRITE", Optional.of(ledger21)), commit(2, "WRITE", Optional.of(ledger22)));
    RollbackChoice refused = RollbackChoice.decide(history, "ledger", DATES.get(1));
    assertTrue(refused.refuses());
    assertTrue(refused.describe("x").contains("version 2 (WRITE by run r2 (task ledger, run date 2026-11-22))"),
        refused.describe("x"));
    assertEquals(new RollbackChoice.Restore(history.get(2), 1), RollbackChoice.decide(history, "ledger", DATES.get(2)));
    assertEquals(new RollbackChoice.CreatedByRun(history.get(0)),
        RollbackChoice.decide(history.subList(0, 1), "ingest", DATES.get(0)));
  }

  @Test
  void aCommitByAnotherWriterOnTopIsNamedAsSuch() {
    List<TableCommit> history = List.of(commit(0, "CREATE TABLE", Optional.empty()),
        commit(1, "WRITE", Optional.of(run("ingest", DATES.get(0), "r1"))), commit(2, "OPTIMIZE", Optional.empty()));
    RollbackChoice choice = RollbackChoice.decide(history, "ingest", DATES.get(0));
    assertTrue(choice.refuses());
    assertTrue(choice.describe("t").contains("version 2 (OPTIMIZE by a writer other than Stepwise)"), choice.describe("t"));
  }
}
