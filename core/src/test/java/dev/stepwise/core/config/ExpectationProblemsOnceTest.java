package dev.stepwise.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.core.model.ConfigSource;
import dev.stepwise.core.problem.ConfigProblem;
import dev.stepwise.core.problem.InvalidConfigException;
import dev.stepwise.core.step.StepCatalog;
import dev.stepwise.core.step.StepOutputs;
import dev.stepwise.core.step.StepType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each mistake in an expectation of a dataset with a schema is reported once: the column rules are
 * read once and checked against the schema from what was read, never read (and complained about) again.
 */
class ExpectationProblemsOnceTest {
  private static final StepCatalog CATALOG = StepCatalog.of(List.of(
      StepType.named("pass").inputs("in").outputs("out").create(p -> in -> StepOutputs.of("out", in.get("in")))));

  /** Column lists as a person might get them wrong, and right. */
  private static final List<String> LISTS = List.of(
      "[]", "\"id\"", "[1]", "[id, 2]", "[{ a = 1 }]", "[idd]", "[id, statuss]", "[nope, also_nope]", "[id]",
      "{ a = b }", "[[id]]", "[Id]");

  /** Names that are not columns of the schema below (matching is exact, so "Id" is not "id"). */
  private static final List<String> UNKNOWN = List.of("idd", "statuss", "nope", "Id", "amountt");

  /** The column of accepted_values, wrong in the same ways. */
  private static final List<String> COLUMNS = List.of("[id]", "idd", "{ a = 1 }", "\"\"", "status", "amountt");

  @TempDir Path dir;

  @Test
  void everyColumnRuleMistakeIsReportedOnce() throws IOException {
    Map<String, Boolean> rules = new LinkedHashMap<>();
    for (String list : LISTS) {
      boolean unknownColumn = UNKNOWN.stream().anyMatch(list::contains);
      rules.put("r { not_null = " + list + " }", unknownColumn);
      rules.put("r { unique = " + list + " }", unknownColumn);
      rules.put("r { unique = " + list + ", action = warn }", unknownColumn);
      for (String column : COLUMNS) {
        rules.put("r { accepted_values { column = " + column + ", values = " + list + " } }",
            UNKNOWN.stream().anyMatch(column::contains));
      }
    }
    for (Map.Entry<String, Boolean> rule : rules.entrySet()) {
      Path file = write(rule.getKey());
      try {
        new PipelineConfigLoader(CATALOG).load(ConfigSource.file(file), Map.of());
        assertFalse(rule.getValue(), "a rule naming a column outside the schema was accepted: " + rule.getKey());
      } catch (InvalidConfigException e) {
        Set<ConfigProblem> seen = new HashSet<>();
        for (ConfigProblem problem : e.problems()) {
          assertTrue(seen.add(problem), "reported twice for " + rule.getKey() + ": " + problem + "\n" + e.getMessage());
        }
      }
    }
  }

  @Test
  void anUnknownColumnIsNamedOnceWithASuggestion() throws IOException {
    Path file = write("r { not_null = [idd] }");
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> new PipelineConfigLoader(CATALOG).load(ConfigSource.file(file), Map.of()));
    assertEquals(1, e.problems().size(), e.getMessage());
    assertEquals("column 'idd' is not in the dataset's schema (did you mean 'id'?); its columns: id, amount, status",
        e.problems().get(0).message());
  }

  private Path write(String rule) throws IOException {
    Path file = Files.createTempFile(dir, "p", ".conf");
    Files.writeString(file, """
        pipeline { name = p }
        datasets {
          orders { format = parquet, path = "/tmp/orders" }
          clean_orders {
            format = parquet
            path = "/tmp/clean"
            schema = "id STRING, amount DECIMAL(18,2), status STRING"
            expectations {
        %s
            }
          }
        }
        steps { clean { type = pass, inputs { in = orders }, outputs { out = clean_orders } } }
        """.formatted(rule));
    return file;
  }
}
