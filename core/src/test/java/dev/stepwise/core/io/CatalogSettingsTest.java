package dev.stepwise.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.core.config.PipelineConfigLoader;
import dev.stepwise.core.model.ConfigSource;
import dev.stepwise.core.model.PipelineConfig;
import dev.stepwise.core.model.StorageFormat;
import dev.stepwise.core.step.StepCatalog;
import dev.stepwise.core.step.StepOutputs;
import dev.stepwise.core.step.StepType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which session settings a pipeline's storage asks for, over every format, root kind and place of a table. */
class CatalogSettingsTest {
  private static final StepCatalog CATALOG = StepCatalog.of(List.of(
      StepType.named("pass").inputs("in").outputs("out").create(p -> in -> StepOutputs.of("out", in.get("in")))));

  @TempDir Path dir;

  private PipelineConfig load(String root, String outputFormat, boolean intermediateTable) throws Exception {
    String output = outputFormat.equals("table") ? "format = table, table = report"
        : "format = " + outputFormat + ", path = ${pipeline.storage_root}\"/out/{run_date}\"";
    String intermediate = intermediateTable ? "intermediate { format = table, table = \"work_{dataset}\" }" : "";
    String text = "pipeline { name = p" + (root == null ? "" : ", storage_root = \"" + root + "\"") + "\n" + intermediate
        + " }\n"
        + "datasets {\n  raw { format = parquet, path = \"" + (root == null ? dir.toString() : root) + "/raw\" }\n"
        + "  middle {}\n  report { " + output.replace("${pipeline.storage_root}", root == null ? dir.toString() : "${pipeline.storage_root}") + " }\n}\n"
        + "steps {\n  a { type = pass, inputs { in = raw }, outputs { out = middle } }\n"
        + "  b { type = pass, inputs { in = middle }, outputs { out = report } }\n}\n";
    Path file = dir.resolve("p" + System.nanoTime() + ".conf");
    Files.writeString(file, text);
    return new PipelineConfigLoader(CATALOG).load(ConfigSource.file(file), Map.of());
  }

  @Test
  void onlyTablesAskForTheHiveCatalogAndALocalRootHoldsItsMetastore() throws Exception {
    String local = dir.resolve("data").toString();
    for (String root : new String[] {local, "file://" + local, "hdfs://namenode:8020/warehouse/p", null}) {
      for (StorageFormat format : StorageFormat.values()) {
        for (boolean intermediateTable : new boolean[] {false, true}) {
          if (format == StorageFormat.TEXT || (root != null && root.startsWith("hdfs") && format != StorageFormat.TABLE
              && !intermediateTable)) {
            continue; // text holds one column only; hdfs paths are only checked where a table makes them matter
          }
          String context = root + " " + format + " intermediate table " + intermediateTable;
          PipelineConfig pipeline = load(root, format.configName(), intermediateTable);
          Map<String, String> settings = CatalogSettings.forPipeline(pipeline);
          boolean tables = format == StorageFormat.TABLE || intermediateTable;
          assertEquals(tables, CatalogSettings.usesTables(pipeline), context);
          if (!tables) {
            assertEquals(Map.of(), settings, context);
            continue;
          }
          assertEquals("hive", settings.get(CatalogSettings.CATALOG_IMPLEMENTATION), context);
          if (root == null) {
            assertEquals(Map.of(CatalogSettings.CATALOG_IMPLEMENTATION, "hive"), settings, "Spark's defaults: " + context);
          } else if (root.startsWith("hdfs")) {
            assertEquals("hdfs://namenode:8020/warehouse/p/_catalog/warehouse", settings.get(CatalogSettings.WAREHOUSE_DIR), context);
            assertFalse(settings.containsKey(CatalogSettings.METASTORE_URL), "no embedded Derby on HDFS: " + context);
          } else {
            assertTrue(settings.get(CatalogSettings.WAREHOUSE_DIR).endsWith(local + "/_catalog/warehouse"), context);
            assertEquals("jdbc:derby:;databaseName=" + local + "/_catalog/metastore_db;create=true",
                settings.get(CatalogSettings.METASTORE_URL), context);
            assertEquals(Optional.of(Path.of(local, "_catalog", "derby.log")), CatalogSettings.derbyLog(settings), context);
          }
        }
      }
    }
  }

  @Test
  void aTaskNamingASharedMetastoreDropsTheEmbeddedOneAndTaskSettingsWin() throws Exception {
    Map<String, String> catalog = CatalogSettings.forPipeline(load(dir.resolve("data").toString(), "table", false));
    Map<String, String> shared = CatalogSettings.withTaskSettings(catalog,
        Map.of(CatalogSettings.METASTORE_URIS, "thrift://127.0.0.1:9083", CatalogSettings.WAREHOUSE_DIR, "/shared/wh"));
    assertFalse(shared.containsKey(CatalogSettings.METASTORE_URL), shared.toString());
    assertEquals("/shared/wh", shared.get(CatalogSettings.WAREHOUSE_DIR));
    assertEquals("hive", shared.get(CatalogSettings.CATALOG_IMPLEMENTATION));
    Map<String, String> plain = CatalogSettings.withTaskSettings(catalog, Map.of("spark.executor.instances", "4"));
    assertEquals(catalog.get(CatalogSettings.METASTORE_URL), plain.get(CatalogSettings.METASTORE_URL));
    assertEquals("4", plain.get("spark.executor.instances"));
  }
}
