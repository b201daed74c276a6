package dev.stepwise.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.core.model.ConfigSource;
import dev.stepwise.core.model.Expectation;
import dev.stepwise.core.model.Expectation.Action;
import dev.stepwise.core.model.Expectation.Kind;
import dev.stepwise.core.model.PipelineConfig;
import dev.stepwise.core.problem.InvalidConfigException;
import dev.stepwise.core.step.StepCatalog;
import dev.stepwise.core.step.StepOutputs;
import dev.stepwise.core.step.StepType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Schema contracts and expectations as config: parsed into records, every mistake named with file:line. */
class ExpectationConfigTest {
  private static final StepCatalog CATALOG = StepCatalog.of(List.of(
      StepType.named("pass").inputs("in").outputs("out").create(p -> in -> StepOutputs.of("out", in.get("in")))));

  @TempDir Path dir;

  private PipelineConfig load(String expectations) throws IOException {
    Path file = dir.resolve("p.conf");
    Files.writeString(file, """
        pipeline { name = p }
        datasets {
          orders {
            format = parquet
            path = "/tmp/orders"
            schema = "id STRING, amount DECIMAL(18,2), status STRING"
          }
          clean_orders {
            format = parquet
            path = "/tmp/clean"
            expectations {
        %s
            }
          }
        }
        steps { clean { type = pass, inputs { in = orders }, outputs { out = clean_orders } } }
        """.formatted(expectations));
    return new PipelineConfigLoader(CATALOG).load(ConfigSource.file(file), Map.of());
  }

  private InvalidConfigException invalid(String expectations) {
    return assertThrows(InvalidConfigException.class, () -> load(expectations));
  }

  @Test
  void everyKindParsesIntoARecord() throws IOException {
    PipelineConfig p = load("""
        ids { not_null = [id] }
        one_per_id { unique = [id], action = warn }
        statuses { accepted_values { column = status, values = [open, paid] }, action = drop,
                   quarantine { format = parquet, path = "/tmp/q" } }
        size { row_count { min = 1, max = 1000 } }
        positive { sql = "amount > 0", action = warn }
        """);
    List<Expectation> e = p.dataset("clean_orders").expectations();
    assertEquals(List.of("ids", "one_per_id", "statuses", "size", "positive"), e.stream().map(Expectation::name).toList());
    assertEquals(List.of(Kind.NOT_NULL, Kind.UNIQUE, Kind.ACCEPTED_VALUES, Kind.ROW_COUNT, Kind.SQL),
        e.stream().map(Expectation::kind).toList());
    assertEquals(List.of(Action.FAIL, Action.WARN, Action.DROP, Action.FAIL, Action.WARN),
        e.stream().map(Expectation::action).toList());
    assertEquals(List.of("open", "paid"), e.get(2).acceptedValues());
    assertEquals("/tmp/q", e.get(2).quarantine().orElseThrow().location());
    assertEquals(OptionalLong.of(1), e.get(3).minRows());
    assertEquals("id STRING, amount DECIMAL(18,2), status STRING", p.dataset("orders").schema().orElseThrow());
  }

  @Test
  void anExpectationNeedsExactlyOneKind() {
    InvalidConfigException e = invalid("both { not_null = [id], unique = [id] }");
    assertTrue(e.getMessage().contains("needs exactly one of"), e.getMessage());
    assertTrue(e.getMessage().contains("p.conf:12"), e.getMessage());
  }

  @Test
  void aMisspelledKindIsAnUnknownKey() {
    InvalidConfigException e = invalid("ids { not_nul = [id] }");
    assertTrue(e.getMessage().contains("did you mean 'not_null'?"), e.getMessage());
  }

  @Test
  void badSqlIsFoundAtLoad() {
    InvalidConfigException e = invalid("positive { sql = \"amount >\" }");
    assertTrue(e.getMessage().contains("not a Spark SQL expression"), e.getMessage());
    assertTrue(e.getMessage().contains("p.conf:12"), e.getMessage());
  }

  @Test
  void aRowCountCannotDropRows() {
    InvalidConfigException e = invalid("size { row_count { min = 1 }, action = drop }");
    assertTrue(e.getMessage().contains("a row count cannot drop rows"), e.getMessage());
  }

  @Test
  void onlyDropHasAQuarantine() {
    InvalidConfigException e = invalid("ids { not_null = [id], quarantine { format = parquet, path = \"/q\" } }");
    assertTrue(e.getMessage().contains("only action = drop sets rows aside"), e.getMessage());
  }

  @Test
  void anInvalidSchemaIsAConfigError() throws IOException {
    Path file = dir.resolve("s.conf");
    Files.writeString(file, """
        pipeline { name = p }
        datasets {
          orders { format = parquet, path = "/tmp/o", schema = "id STRNG," }
          out { format = parquet, path = "/tmp/x" }
        }
        steps { s { type = pass, inputs { in = orders }, outputs { out = out } } }
        """);
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> new PipelineConfigLoader(CATALOG).load(ConfigSource.file(file), Map.of()));
    assertTrue(e.getMessage().contains("s.conf:3") && e.getMessage().contains("not a valid schema"), e.getMessage());
  }

  @Test
  void columnsAreCheckedAgainstTheDeclaredSchema() throws IOException {
    Path file = dir.resolve("c.conf");
    Files.writeString(file, """
        pipeline { name = p }
        datasets {
          orders {
            format = parquet, path = "/tmp/o", schema = "id STRING, status STRING"
            expectations { ids { not_null = [idd] } }
          }
          out { format = parquet, path = "/tmp/x" }
        }
        steps { s { type = pass, inputs { in = orders }, outputs { out = out } } }
        """);
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> new PipelineConfigLoader(CATALOG).load(ConfigSource.file(file), Map.of()));
    assertTrue(e.getMessage().contains("column 'idd' is not in the dataset's schema (did you mean 'id'?)"),
        e.getMessage());
  }
}
