package dev.stepwise.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.core.io.DeltaSessionSettings;
import dev.stepwise.core.model.ConfigSource;
import dev.stepwise.core.model.PipelineConfig;
import dev.stepwise.core.model.RunContext;
import dev.stepwise.core.model.StorageFormat;
import dev.stepwise.core.model.StorageSpec;
import dev.stepwise.core.problem.ConfigProblem;
import dev.stepwise.core.problem.InvalidConfigException;
import dev.stepwise.core.step.StepCatalog;
import dev.stepwise.core.step.StepOutputs;
import dev.stepwise.core.step.StepType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delta storage the config alone shows to be wrong is refused at load, with the file and line of the
 * key: a corpus of bad storage blocks, each with the words its message must hold, generated over the
 * places a storage block can be (a dataset, the pipeline's intermediate storage, a quarantine).
 */
class DeltaConfigTest {
  private static final StepCatalog CATALOG = StepCatalog.of(List.of(
      StepType.named("pass").inputs("in").outputs("out").create(p -> in -> StepOutputs.of("out", in.get("in")))));

  @TempDir Path dir;

  private record Case(String storage, String key, String says) {}

  private static final List<Case> BAD = List.of(
      new Case("format = delta, path = \"%s/t\", run_date_column = run_date", "run_date_column", "not a partition column"),
      new Case("format = delta, path = \"%s/t\", partition_by = [day], run_date_column = run_date", "run_date_column",
          "not a partition column"),
      new Case("format = delta, path = \"%s/t\", partition_by = [market], run_date_column = day", "run_date_column",
          "list it in partition_by"),
      new Case("format = delta, path = \"%s/t/run_date={run_date}\", partition_by = [run_date], run_date_column = run_date",
          "run_date_column", "already holds {run_date}"),
      new Case("format = delta, path = \"%s/t\", partition_by = [run_date], run_date_column = run_date,"
          + " schema = \"id INT, run_date DATE\"", "run_date_column", "also a column of the schema"),
      new Case("format = delta, path = \"%s/t\", partition_by = [run_date, region], run_date_column = run_date,"
          + " schema = \"id INT, market STRING\"", "partition_by", "'region' is not a column of the schema"),
      new Case("format = delta, path = \"%s/t\", partition_by = [day], schema = \"id INT\"", "partition_by",
          "also set run_date_column = day"),
      new Case("format = delta, path = \"%s/t\", options { replaceWhere = \"id > 0\" }", "options.replaceWhere",
          "Stepwise chooses replaceWhere"),
      new Case("format = delta, path = \"%s/t\", options { REPLACEWHERE = \"x\" }, partition_by = [d], run_date_column = d",
          "options.REPLACEWHERE", "Stepwise chooses"),
      new Case("format = delta, path = \"%s/t\", options { partitionOverwriteMode = dynamic }", "options.partitionOverwriteMode",
          "Stepwise chooses"),
      new Case("format = parquet, path = \"%s/t/{run_date}\", partition_by = [run_date], run_date_column = run_date",
          "run_date_column", "for format delta only"),
      new Case("format = json, path = \"%s/t/{run_date}\", run_date_column = day", "run_date_column", "for format delta only"),
      new Case("format = csv, path = \"%s/t/{run_date}\", run_date_column = day", "run_date_column", "for format delta only"),
      new Case("format = detla, path = \"%s/t\"", "format", "delta"));

  @Test
  void everyBadDeltaStorageIsRefusedWithItsKeyAndLine() throws IOException {
    int checked = 0;
    for (Case bad : BAD) {
      for (String place : List.of("dataset", "intermediate", "quarantine")) {
        if (place.equals("intermediate") && bad.storage().contains("schema")) {
          continue; // intermediate storage has no contract of its own
        }
        if (place.equals("quarantine") && bad.storage().matches(".*(schema|partition_by|run_date_column).*")) {
          continue; // a quarantine takes format, path and options only
        }
        Path config = write(place, bad.storage().formatted(dir.toAbsolutePath()));
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
            () -> new PipelineConfigLoader(CATALOG).load(ConfigSource.file(config), Map.of()), place + ": " + bad);
        List<ConfigProblem> about = e.problems().stream().filter(p -> p.key().endsWith(bad.key())).toList();
        assertEquals(1, about.size(), place + ": " + bad + " gave " + e.problems());
        assertTrue(about.get(0).message().contains(bad.says()), place + ": " + about.get(0));
        assertTrue(about.get(0).location().matches(".*\\.conf:\\d+"), "file:line in " + about.get(0));
        checked++;
      }
    }
    assertTrue(checked >= 25, "cases checked: " + checked);
  }

  @Test
  void goodDeltaStorageLoadsAndResolvesItsRunDate() throws IOException {
    Path config = write("dataset", "format = delta, path = \"" + dir.toAbsolutePath() + "/t\", partition_by = [Run_Date],"
        + " run_date_column = run_date, schema = \"id INT\", options { mergeSchema = \"true\" }");
    PipelineConfig pipeline = new PipelineConfigLoader(CATALOG).load(ConfigSource.file(config), Map.of());
    StorageSpec storage = pipeline.dataset("out").storage().orElseThrow();
    assertEquals(StorageFormat.DELTA, storage.format());
    assertEquals("run_date", storage.runDatePartition().orElseThrow().column());
    LocalDate day = LocalDate.parse("2026-11-21");
    assertEquals(day, new RunContext(day, Map.of(), "r").resolve(storage, "out").runDatePartition().orElseThrow()
        .requireDate());
    assertTrue(DeltaSessionSettings.needed(pipeline));
    Map<String, String> settings = DeltaSessionSettings.forPipeline(pipeline,
        Map.of(DeltaSessionSettings.EXTENSIONS, "com.example.Mine"));
    assertEquals("com.example.Mine," + DeltaSessionSettings.DELTA_EXTENSION, settings.get(DeltaSessionSettings.EXTENSIONS));
    assertEquals(DeltaSessionSettings.DELTA_CATALOG, settings.get(DeltaSessionSettings.CATALOG));

    Path plain = write("dataset", "format = parquet, path = \"" + dir.toAbsolutePath() + "/p/{run_date}\"");
    PipelineConfig parquet = new PipelineConfigLoader(CATALOG).load(ConfigSource.file(plain), Map.of());
    assertEquals(Map.of("k", "v"), DeltaSessionSettings.forPipeline(parquet, Map.of("k", "v")));
    for (String place : List.of("intermediate", "quarantine")) {
      Path other = write(place, "format = delta, path = \"" + dir.toAbsolutePath() + "/q\"");
      assertTrue(DeltaSessionSettings.needed(new PipelineConfigLoader(CATALOG).load(ConfigSource.file(other), Map.of())),
          place);
    }
  }

  @Test
  void deltaExtensionIsListedOnce() {
    assertEquals(DeltaSessionSettings.DELTA_EXTENSION, DeltaSessionSettings.withDeltaExtension(null));
    assertEquals(DeltaSessionSettings.DELTA_EXTENSION, DeltaSessionSettings.withDeltaExtension(" "));
    for (String others : List.of("a.B", "a.B,c.D", " a.B , c.D ")) {
      String joined = DeltaSessionSettings.withDeltaExtension(others);
      assertEquals(joined, DeltaSessionSettings.withDeltaExtension(joined), "idempotent for " + others);
      assertTrue(joined.endsWith("," + DeltaSessionSettings.DELTA_EXTENSION), joined);
      assertEquals(1, joined.split(DeltaSessionSettings.DELTA_EXTENSION.replace(".", "\\."), -1).length - 1, joined);
    }
    String already = "a.B," + DeltaSessionSettings.DELTA_EXTENSION + ",c.D";
    assertEquals(already, DeltaSessionSettings.withDeltaExtension(already));
  }

  /** A pipeline whose one step writes {@code out}, stored as {@code storage} in {@code place}. */
  private Path write(String place, String storage) throws IOException {
    String root = dir.toAbsolutePath().toString();
    String datasets = switch (place) {
      case "dataset" -> "in { format = json, path = \"" + root + "/in/{run_date}\" }\n  out { " + storage + " }";
      case "intermediate" -> "in { format = json, path = \"" + root + "/in/{run_date}\" }\n  out {}";
      case "quarantine" -> "in { format = json, path = \"" + root + "/in/{run_date}\", schema = \"id INT\","
          + " expectations { ids { not_null = [id], action = drop, quarantine { " + storage + " } } } }\n"
          + "  out { format = json, path = \"" + root + "/out/{run_date}\" }";
      default -> throw new IllegalArgumentException(place);
    };
    String intermediate = place.equals("intermediate") ? "intermediate { " + storage + " }" : "";
    Path config = dir.resolve("p-" + place + "-" + Integer.toHexString(storage.hashCode()).toLowerCase(Locale.ROOT) + ".conf");
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
