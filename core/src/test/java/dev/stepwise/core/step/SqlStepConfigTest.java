package dev.stepwise.core.step;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.core.config.PipelineConfigLoader;
import dev.stepwise.core.model.ConfigSource;
import dev.stepwise.core.model.PipelineConfig;
import dev.stepwise.core.problem.ConfigProblem;
import dev.stepwise.core.problem.InvalidConfigException;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sql step type at load: no SparkSession, every mistake named with the query's file:line. */
class SqlStepConfigTest {
  private static final StepCatalog CATALOG = StepCatalog.of(List.of());

  @TempDir Path dir;

  private Path write(String inputs, String params) throws IOException {
    Path file = dir.resolve("p.conf");
    Files.writeString(file, """
        pipeline { name = p }
        datasets {
          charges { format = parquet, path = "/tmp/charges" }
          refunds { format = parquet, path = "/tmp/refunds" }
          fees { format = parquet, path = "/tmp/fees" }
          moves { format = parquet, path = "/tmp/moves" }
        }
        steps {
          combine {
            type = sql
            inputs { %s }
            outputs { result = moves }
            params {
        %s
            }
          }
        }
        """.formatted(inputs, params));
    return file;
  }

  private PipelineConfig load(String inputs, String params) throws IOException {
    return new PipelineConfigLoader(CATALOG).load(ConfigSource.file(write(inputs, params)), Map.of());
  }

  private List<ConfigProblem> problems(String inputs, String params) throws IOException {
    return assertThrows(InvalidConfigException.class, () -> load(inputs, params)).problems();
  }

  @Test
  void aValidQueryLoadsWithItsRolesAndTypedArgs() throws IOException {
    PipelineConfig p = load("charges = charges, refunds = refunds", """
          query = \"\"\"SELECT id, amount FROM charges WHERE amount >= :min AND region = :region AND :on
                UNION ALL SELECT id, -amount FROM refunds\"\"\"
          args { min = 10.50, region = "eu", on = true }
        """);
    SqlStep step = (SqlStep) p.step("combine").step();
    assertEquals(Map.of("charges", "charges", "refunds", "refunds"), p.step("combine").inputs());
    assertEquals(Map.of("result", "moves"), p.step("combine").outputs());
    // HOCON reads 10.50 as a number: its value is kept exactly, not its trailing zero.
    assertEquals(Map.of("min", new BigDecimal("10.5"), "region", "eu", "on", true), step.args());
  }

  @Test
  void wholeNumbersBecomeLongsAndDecimalsKeepTheirDigits() throws IOException {
    PipelineConfig p = load("charges = charges", """
          query = "SELECT * FROM charges WHERE n = :n AND x = :x"
          args { n = 7, x = 0.10 }
        """);
    assertEquals(Map.of("n", 7L, "x", new BigDecimal("0.1")), ((SqlStep) p.step("combine").step()).args());
  }

  @Test
  void ctesAndSubqueriesMayReadTheInputs() throws IOException {
    load("charges = charges, refunds = refunds", """
          query = \"\"\"WITH big AS (SELECT * FROM charges WHERE amount > 100)
            SELECT * FROM big WHERE id NOT IN (SELECT id FROM refunds)\"\"\"
        """);
  }

  @Test
  void aQueryThatDoesNotParseIsReportedAtItsLine() throws IOException {
    List<ConfigProblem> problems = problems("charges = charges", """
          query = \"\"\"SELECT id
            FROM charges
            WHERE amount IS IS NULL\"\"\"
        """);
    assertEquals(1, problems.size(), problems.toString());
    ConfigProblem problem = problems.get(0);
    // steps.combine.params.query starts on line 14 of the file; the error is on the query's third line.
    assertEquals(dir.resolve("p.conf") + ":16", problem.location());
    assertEquals("steps.combine.params.query", problem.key());
    assertTrue(problem.message().startsWith("the query does not parse: "), problem.message());
  }

  @Test
  void aTableThatIsNotAnInputIsNamed() throws IOException {
    List<ConfigProblem> problems = problems("charges = charges", """
          query = "SELECT * FROM charges JOIN refundz USING (id)"
        """);
    assertEquals(1, problems.size(), problems.toString());
    assertEquals(dir.resolve("p.conf") + ":14", problems.get(0).location());
    assertTrue(problems.get(0).message().startsWith("the query reads 'refundz', which is not one of the step's"
        + " inputs [charges]"), problems.get(0).message());
  }

  @Test
  void filesCatalogTablesTableFunctionsAndCommandsAreRefused() throws IOException {
    for (String query : List.of(
        "SELECT * FROM parquet.`/etc/secrets`",
        "SELECT * FROM prod.payments",
        "SELECT * FROM charges, range(10)",
        "SELECT * FROM IDENTIFIER('prod.payments')",
        "DROP TABLE charges",
        "INSERT INTO charges SELECT * FROM charges",
        "SELECT 1; SELECT * FROM charges")) {
      InvalidConfigException e = assertThrows(InvalidConfigException.class,
          () -> load("charges = charges", "      query = \"" + query + "\"\n"), query);
      assertEquals(1, e.problems().size(), query + ": " + e.problems());
    }
    // A table named by a value would let args choose what the step reads.
    List<ConfigProblem> byArg = problems("charges = charges", """
          query = "SELECT * FROM IDENTIFIER(:t)"
          args { t = charges }
        """);
    assertEquals(1, byArg.size(), byArg.toString());
    assertTrue(byArg.get(0).message().startsWith("IDENTIFIER(...) is not allowed"), byArg.toString());
  }

  @Test
  void markersAndArgsMustMatchBothWays() throws IOException {
    List<ConfigProblem> problems = problems("charges = charges", """
          query = "SELECT * FROM charges WHERE amount > :minimum"
          args { minimun = 3 }
        """);
    assertEquals(List.of(
            "the query uses :minimum but args has no 'minimum'; add args { minimum = <value> } (args has [minimun])",
            "args.minimun is not used by the query; its markers are [:minimum]"),
        problems.stream().map(ConfigProblem::message).toList());
  }

  @Test
  void positionalMarkersAndNonScalarArgsAreRefused() throws IOException {
    assertEquals(1, problems("charges = charges", "      query = \"SELECT * FROM charges WHERE a = ?\"\n").size());
    List<ConfigProblem> problems = problems("charges = charges", """
          query = "SELECT * FROM charges WHERE a = :a"
          args { a = [1, 2] }
        """);
    assertTrue(problems.get(0).message().startsWith("expected a number, string or boolean"), problems.toString());
    assertEquals("steps.combine.params.args.a", problems.get(0).key());
  }

  @Test
  void aSqlStepNeedsAnInputAQueryAndNoUnknownParams() throws IOException {
    assertTrue(problems("", "      query = \"SELECT 1\"\n").get(0).message()
        .startsWith("a sql step needs at least one input"));
    assertEquals("missing required parameter", problems("charges = charges", "").get(0).message());
    List<ConfigProblem> typo = problems("charges = charges", """
          query = "SELECT * FROM charges"
          arg { x = 1 }
        """);
    assertEquals("steps.combine.params.arg", typo.get(0).key());
  }

  @Test
  void aLibraryMayNotRedefineTheBuiltInType() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> StepCatalog.of(List.of(
        StepType.named("sql").inputs("a").outputs("b").create(p -> in -> StepOutputs.of("b", in.get("a"))))));
    assertEquals("step type 'sql' is built into Stepwise; give yours another name", e.getMessage());
  }

  @Test
  void everyGeneratedMismatchOfTablesAndRolesIsFound() throws IOException {
    // Many cases of one defect class: each query reads some tables, each step binds some roles.
    List<String> names = List.of("charges", "refunds", "fees");
    for (int read = 1; read < 8; read++) {
      for (int bound = 1; bound < 8; bound++) {
        StringBuilder query = new StringBuilder("SELECT 1 AS one FROM (SELECT 1)");
        StringBuilder inputs = new StringBuilder();
        int unbound = 0;
        for (int i = 0; i < names.size(); i++) {
          boolean reads = (read & (1 << i)) != 0;
          boolean binds = (bound & (1 << i)) != 0;
          if (reads) {
            query.append(" UNION ALL SELECT 1 FROM ").append(names.get(i));
          }
          if (binds) {
            inputs.append(names.get(i)).append(" = ").append(names.get(i)).append(", ");
          }
          if (reads && !binds) {
            unbound++;
          }
        }
        String params = "      query = \"" + query + "\"\n";
        if (unbound == 0) {
          load(inputs.toString(), params);
        } else {
          assertEquals(unbound, problems(inputs.toString(), params).size(), query + " with " + inputs);
        }
      }
    }
  }
}
