package dev.stepwise.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The commit metadata's exact shape, and that parse reads back whatever toJson wrote. */
class CommitShapeTest {
  private static final String ODD = "\"\\/\n\r\t\u0001\u001f é ü 日本 {}[],: null";

  @Test
  void theShapeIsExactlyThis() {
    StepwiseCommit info = new StepwiseCommit("payments", "daily", "ledger", "2026-11-21-abc-12",
        Optional.of(LocalDate.parse("2026-11-21")), "ab12", "ledger_entries");
    assertEquals("{\"stepwise\":1,\"pipeline\":\"payments\",\"grouping\":\"daily\",\"task\":\"ledger\","
        + "\"run_id\":\"2026-11-21-abc-12\",\"run_date\":\"2026-11-21\",\"config_fingerprint\":\"ab12\","
        + "\"dataset\":\"ledger_entries\"}", info.toJson());
    assertTrue(new StepwiseCommit("p", "g", "t", "r", Optional.empty(), "f", "d").toJson()
        .contains("\"run_date\":null,"));
  }

  /** A seeded corpus of names with quotes, escapes, control and non-ASCII characters round-trips. */
  @Test
  void parseReadsBackEveryGeneratedInfo() throws Exception {
    Random random = new Random(1616);
    ObjectMapper json = new ObjectMapper();
    for (int i = 0; i < 500; i++) {
      StepwiseCommit info = new StepwiseCommit(text(random), text(random), text(random), text(random),
          random.nextBoolean() ? Optional.empty() : Optional.of(LocalDate.ofEpochDay(random.nextInt(40000))),
          text(random), text(random));
      String written = info.toJson();
      assertEquals(Optional.of(info), StepwiseCommit.parse(written), written);
      JsonNode tree = json.readTree(written);
      List<String> keys = new ArrayList<>();
      tree.fieldNames().forEachRemaining(keys::add);
      assertEquals(List.of("stepwise", "pipeline", "grouping", "task", "run_id", "run_date", "config_fingerprint",
          "dataset"), keys);
      assertEquals(json.writeValueAsString(tree), written, "compact, as Jackson writes it");
    }
  }

  @Test
  void metadataStepwiseDidNotWriteIsNotParsed() {
    for (String other : new String[] {null, "", " ", "nightly load", "[]", "{}", "{\"stepwise\":2,\"pipeline\":\"p\"}",
        "{\"stepwise\":\"1\"}", "{\"stepwise\":1,\"pipeline\":\"p\"}", "{\"stepwise\":1,\"pipeline\":\"p\",\"grouping\":\"g\","
            + "\"task\":\"t\",\"run_id\":\"r\",\"run_date\":\"21/11/2026\",\"config_fingerprint\":\"f\",\"dataset\":\"d\"}",
        "{\"stepwise\":1,\"pipeline\":\"p\",\"grouping\":\"g\",\"task\":\"t\",\"run_id\":\"r\",\"run_date\":5,"
            + "\"config_fingerprint\":\"f\",\"dataset\":\"d\"}", "{\"stepwise\":1"}) {
      assertEquals(Optional.empty(), StepwiseCommit.parse(other), String.valueOf(other));
    }
  }

  private static String text(Random random) {
    StringBuilder out = new StringBuilder();
    int length = random.nextInt(12);
    for (int i = 0; i < length; i++) {
      out.append(random.nextInt(4) == 0 ? ODD.charAt(random.nextInt(ODD.length())) : (char) ('a' + random.nextInt(26)));
    }
    return out.toString();
  }
}
