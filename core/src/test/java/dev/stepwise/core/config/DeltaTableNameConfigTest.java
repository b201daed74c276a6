package dev.stepwise.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.core.io.CatalogSettings;
import dev.stepwise.core.io.DeltaSessionSettings;
import dev.stepwise.core.io.SessionSettings;
import dev.stepwise.core.model.ConfigSource;
import dev.stepwise.core.model.PipelineConfig;
import dev.stepwise.core.model.RunContext;
import dev.stepwise.core.model.StorageFormat;
import dev.stepwise.core.model.StorageSpec;
import dev.stepwise.core.model.UnsafeLocationException;
import dev.stepwise.core.problem.ConfigProblem;
import dev.stepwise.core.problem.InvalidConfigException;
import dev.stepwise.core.step.StepCatalog;
import dev.stepwise.core.step.StepOutputs;
import dev.stepwise.core.step.StepType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Delta dataset named by a catalog table ({@code format = delta, table = db.name}) as the config
 * declares it: exactly one of {@code path} and {@code table}, and a name that is an identifier. Bad
 * ones are refused at load with the file and line of the key (exit 2 before Spark); good ones,
 * generated, load with their name and give the session Stepwise's catalog and Delta's around it.
 */
class DeltaTableNameConfigTest {
  private static final StepCatalog CATALOG = StepCatalog.of(List.of(
      StepType.named("pass").inputs("in").outputs("out").create(p -> in -> StepOutputs.of("out", in.get("in")))));
  private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_";
  private static final String TAIL = LETTERS + "0123456789";

  @TempDir Path dir;

  @Test
  void pathAndTableTogetherOrNeitherAreRefusedWithTheirLine() throws IOException {
    String root = dir.toAbsolutePath().toString();
    List<String[]> cases = List.of(
        new String[] {"format = delta, table = sales.totals, path = \"" + root + "/t\"", "table", "not both"},
        new String[] {"format = delta, path = \"" + root + "/t\", table = t", "table", "not both"},
        new String[] {"format = delta, table = t, path = \"" + root + "/t\", partition_by = [run_date],"
            + " run_date_column = run_date", "table", "not both"},
        new String[] {"format = delta", "", "needs a place"},
        new String[] {"format = delta, partition_by = [run_date], run_date_column = run_date", "", "needs a place"},
        new String[] {"format = delta, options { mergeSchema = \"true\" }", "", "table = <db.name>"});
    int checked = 0;
    for (String[] c : cases) {
      for (String place : List.of("dataset", "intermediate")) {
        if (place.equals("intermediate") && c[0].contains("run_date_column")) {
          continue;
        }
        ConfigProblem problem = onlyProblem(write(place, c[0]), c[1], place + ": " + c[0]);
        assertTrue(problem.message().contains(c[2]), place + ": " + problem);
        checked++;
      }
    }
    assertEquals(10, checked);
  }

  /** A seeded corpus: valid names, each broken one way a name can be wrong. */
  @Test
  void aNameThatIsNotAnIdentifierIsRefusedWithItsLine() throws IOException {
    List<UnaryOperator<String>> breakers = List.of(
        n -> "1" + n,                       // starts with a digit
        n -> n + ".",                       // empty last part
        n -> "." + n,                       // empty first part
        n -> "cat." + n + (n.contains(".") ? "" : ".x"), // three parts: another catalog
        n -> n.replaceFirst(".$", "-"),     // a dash
        n -> n + " x",                      // a space
        n -> n + "/x",                      // a path
        n -> "`" + n + "`",                 // quoted: Stepwise names plain identifiers only
        n -> n + ";DROP TABLE x",           // SQL
        n -> n + "é",                       // not ASCII
        n -> n.contains(".") ? n.replace(".", "..") : n + "..x", // a doubled dot
        n -> n + "*",                       // a pattern
        n -> n + "{run_date",               // half a placeholder
        n -> "",                            // empty
        n -> n + "'");                      // a quote
    Random random = new Random(1607);
    int checked = 0;
    for (int i = 0; i < 60; i++) {
      String good = name(random);
      String bad = breakers.get(i % breakers.size()).apply(good);
      Path config = write("dataset", "format = delta, table = \"" + bad.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
      ConfigProblem problem = onlyProblem(config, "table", "'" + bad + "' from '" + good + "'");
      assertTrue(problem.message().contains("is not a table name") && problem.message().contains("database.name"),
          problem.toString());
      checked++;
    }
    assertEquals(60, checked);
  }

  @Test
  void aGoodNameLoadsAndResolvesAsATableOfStepwisesCatalog() throws IOException {
    Random random = new Random(1608);
    LocalDate day = LocalDate.parse("2026-11-21");
    for (int i = 0; i < 20; i++) {
      String name = name(random);
      boolean placeholder = i % 4 == 0;
      String declared = placeholder ? name + "_{region}" : name;
      Path config = write("dataset", "format = delta, table = \"" + declared + "\", partition_by = [day],"
          + " run_date_column = day, root = \"" + dir.toAbsolutePath() + "/root\"");
      PipelineConfig pipeline = new PipelineConfigLoader(CATALOG).load(ConfigSource.file(config), Map.of());
      StorageSpec storage = pipeline.dataset("out").storage().orElseThrow();
      assertEquals(StorageFormat.DELTA, storage.format());
      assertEquals(declared, storage.table().orElseThrow());
      assertTrue(storage.isUnlocatedTable() && storage.locationIsTableName(), storage.toString());

      StorageSpec resolved = new RunContext(day, placeholder ? Map.of("region", "eu_west") : Map.of(), "r")
          .resolve(storage, "out");
      String expected = placeholder ? name + "_eu_west" : name;
      assertEquals(expected, resolved.table().orElseThrow());
      assertEquals(expected, resolved.location(), "a name until a session looks the table up");
      assertEquals(day, resolved.runDatePartition().orElseThrow().requireDate());
      StorageSpec located = resolved.locatedAt("file:/somewhere/" + expected.toLowerCase());
      assertEquals(expected, located.table().orElseThrow());
      assertTrue(!located.isUnlocatedTable() && !located.locationIsTableName(), located.toString());

      Map<String, String> settings = SessionSettings.of(pipeline, Map.of());
      assertEquals("hive", settings.get(CatalogSettings.CATALOG_IMPLEMENTATION), "a catalog that outlives the JVM");
      assertEquals(DeltaSessionSettings.DELTA_CATALOG, settings.get(DeltaSessionSettings.CATALOG), "wrapped by Delta's");
      if (placeholder) {
        RunContext dashed = new RunContext(day, Map.of("region", "eu-west"), "r");
        assertThrows(UnsafeLocationException.class, () -> dashed.resolve(storage, "out"),
            "a placeholder value must keep the name an identifier");
      }
    }
  }

  /** {@code name} or {@code db.name}, each part an identifier. */
  private static String name(Random random) {
    List<String> parts = new ArrayList<>();
    for (int p = 0; p < 1 + random.nextInt(2); p++) {
      StringBuilder part = new StringBuilder().append(LETTERS.charAt(random.nextInt(LETTERS.length())));
      for (int c = 0; c < random.nextInt(12); c++) {
        part.append(TAIL.charAt(random.nextInt(TAIL.length())));
      }
      parts.add(part.toString());
    }
    return String.join(".", parts);
  }

  private static ConfigProblem onlyProblem(Path config, String key, String what) {
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> new PipelineConfigLoader(CATALOG).load(ConfigSource.file(config), Map.of()), what);
    assertEquals(1, e.problems().size(), what + " gave " + e.problems());
    ConfigProblem problem = e.problems().get(0);
    assertTrue(problem.key().endsWith(key), what + ": " + problem);
    assertTrue(problem.location().matches(".*\\.conf:\\d+"), "file:line in " + problem);
    return problem;
  }

  private Path write(String place, String storage) throws IOException {
    String root = dir.toAbsolutePath().toString();
    String datasets = place.equals("dataset")
        ? "in { format = json, path = \"" + root + "/in/{run_date}\" }\n  out { " + storage + " }"
        : "in { format = json, path = \"" + root + "/in/{run_date}\" }\n  out {}";
    String intermediate = place.equals("intermediate") ? "intermediate { " + storage + " }" : "";
    Path config = Files.createTempFile(dir, "p-" + place + "-", ".conf");
    Files.writeString(config, """
        pipeline {
          name = p
          %s
        }
        datasets {
          %s
        }
        steps {
          s { type = pass, inputs { in = in }, outputs { out = out } }
        }
        """.formatted(intermediate, datasets));
    return config;
  }
}
