package dev.stepwise.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The commit metadata Stepwise writes reads back as the same run; anyone else's reads as no run. */
class StepwiseCommitTest {
  private static final String EXAMPLE = "{\"stepwise\":1,\"pipeline\":\"payments\",\"grouping\":\"daily\","
      + "\"task\":\"ledger\",\"run_id\":\"2026-11-21-abc-42\",\"run_date\":\"2026-11-21\","
      + "\"config_fingerprint\":\"9f2c\",\"dataset\":\"ledger_entries\"}";

  @Test
  void theAgreedShapeParses() {
    StepwiseCommit commit = StepwiseCommit.parse(EXAMPLE).orElseThrow();
    assertEquals(new StepwiseCommit("payments", "daily", "ledger", "2026-11-21-abc-42",
        Optional.of(LocalDate.parse("2026-11-21")), "9f2c", "ledger_entries", OptionalLong.empty()), commit);
    assertEquals(commit, StepwiseCommit.parse(commit.toJson()).orElseThrow());
    assertEquals(Optional.empty(), StepwiseCommit.parse(EXAMPLE.replace("\"2026-11-21\",", "null,")).orElseThrow().runDate());
  }

  @Test
  void generatedRunsSurviveTheRoundTrip() {
    Random random = new Random(7);
    String alphabet = "ab_\"\\/{}: é\u0001-1";
    for (int i = 0; i < 500; i++) {
      StringBuilder name = new StringBuilder();
      for (int c = 0; c < 1 + random.nextInt(12); c++) {
        name.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      StepwiseCommit commit = new StepwiseCommit("p" + name, "g", name.toString(), "run-" + i,
          random.nextBoolean() ? Optional.empty() : Optional.of(LocalDate.ofEpochDay(random.nextInt(40_000))),
          Long.toHexString(random.nextLong()), "d" + name,
          random.nextBoolean() ? OptionalLong.empty() : OptionalLong.of(random.nextInt(1000)));
      assertEquals(Optional.of(commit), StepwiseCommit.parse(commit.toJson()), commit.toJson());
    }
  }

  @Test
  void metadataOfOtherWritersIsNoRun() {
    List<String> foreign = List.of("", "   ", "not json", "[1,2]", "null", "{}", "\"stepwise\"",
        EXAMPLE.replace("\"stepwise\":1", "\"stepwise\":2"),
        EXAMPLE.replace("\"stepwise\":1", "\"stepwise\":\"1\""),
        EXAMPLE.replace("\"task\":\"ledger\",", ""),
        EXAMPLE.replace("\"run_id\":\"2026-11-21-abc-42\"", "\"run_id\":42"),
        EXAMPLE.replace("\"run_date\":\"2026-11-21\",", ""),
        EXAMPLE.replace("2026-11-21\",\"config", "21/11/2026\",\"config"),
        EXAMPLE.replace("\"dataset\":\"ledger_entries\"", "\"dataset\":null"),
        EXAMPLE.substring(0, EXAMPLE.length() - 1));
    for (String metadata : foreign) {
      assertTrue(StepwiseCommit.parse(metadata).isEmpty(), metadata);
    }
    assertTrue(StepwiseCommit.parse(null).isEmpty());
  }
}
