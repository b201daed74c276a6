package dev.stepwise.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.core.model.ConfigSource;
import dev.stepwise.core.model.PipelineConfig;
import dev.stepwise.core.model.StorageFormat;
import dev.stepwise.core.model.StorageRoot;
import dev.stepwise.core.model.StorageSpec;
import dev.stepwise.core.problem.InvalidConfigException;
import dev.stepwise.core.step.StepCatalog;
import dev.stepwise.core.step.StepOutputs;
import dev.stepwise.core.step.StepType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which locations lie below a root, compared as Hadoop resolves them, and which roots are refused. */
class StorageRootTest {
  private static final StepCatalog CATALOG = StepCatalog.of(List.of(
      StepType.named("pass").inputs("in").outputs("out").create(p -> in -> StepOutputs.of("out", in.get("in")))));

  @TempDir Path dir;

  private static StorageRoot root(String text) {
    return StorageRoot.declared(text, StorageRoot.Origin.PIPELINE);
  }

  @Test
  void plainPathsAndFileUrisCompareAlike() {
    for (String root : List.of("/data", "/data/", "file:/data", "file:///data", "file://localhost/data")) {
      for (String location : List.of("/data/x", "file:/data/x", "file:///data/x/y", "/data/./x", "/data/a/../x")) {
        assertTrue(root(root).contains(location), root + " should hold " + location);
      }
      for (String location : List.of("/data", "/data/", "file:///data", "/data/..", "/data/x/../..", "/database/x",
          "/dat", "/", "hdfs://nn/data/x", "file://otherhost/data/x", "/data/x/../../etc")) {
        assertFalse(root(root).contains(location), root + " should not hold " + location);
      }
    }
  }

  @Test
  void otherSchemesCompareSchemeAndAuthority() {
    StorageRoot hdfs = root("hdfs://nn:8020/warehouse/stepwise");
    assertTrue(hdfs.contains("hdfs://nn:8020/warehouse/stepwise/raw/x"));
    assertTrue(hdfs.contains("HDFS://nn:8020/warehouse/stepwise/raw/x"));
    assertFalse(hdfs.contains("hdfs://other:8020/warehouse/stepwise/raw/x"));
    assertFalse(hdfs.contains("/warehouse/stepwise/raw/x"));
    assertFalse(hdfs.contains("s3a://nn:8020/warehouse/stepwise/raw/x"));
    assertTrue(root("s3a://bucket/prefix").contains("s3a://bucket/prefix/a"));
    assertFalse(root("s3a://bucket/prefix").contains("s3a://bucket/prefixed/a"));
  }

  @Test
  void aRelativeRootIsBelowTheWorkingDirectory() {
    String cwd = Path.of("").toAbsolutePath().toString();
    assertTrue(root("./data").contains(cwd + "/data/raw"));
    assertTrue(root("./data").contains("data/raw"));
    assertFalse(root("./data").contains(cwd + "/other"));
  }

  @Test
  void dangerousRootsAreRefusedWithAReason() {
    Map<String, String> refused = Map.ofEntries(Map.entry("", "is empty"), Map.entry("   ", "only whitespace"),
        Map.entry(" /data", "whitespace"), Map.entry("/", "top of its file system"),
        Map.entry("file:///", "top of its file system"), Map.entry("hdfs://nn/", "top of its file system"),
        Map.entry("//", "top of its file system"), Map.entry("../data", "'..'"), Map.entry("/data/../..", "'..'"),
        Map.entry("/data\n", "whitespace"), Map.entry("/da\u0000ta", "U+0000"), Map.entry("/data/*", "pattern"),
        Map.entry("/data/%2e%2e", "percent-encoded"), Map.entry("C:\\data", "backslash"),
        Map.entry("file://host/data", "not a path Hadoop can read"));
    refused.forEach((text, reason) -> {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> root(text), text);
      assertTrue(e.getMessage().contains(reason), text + ": " + e.getMessage());
    });
  }

  @Test
  void withoutADeclaredRootTheFixedPartOfThePathIsTheRoot() {
    StorageSpec storage = StorageSpec.files(StorageFormat.PARQUET, "/tmp/out/{region}/run_date={run_date}");
    assertEquals("/tmp/out", storage.root().orElseThrow().declared());
    assertTrue(storage.root().orElseThrow().contains("/tmp/out/eu"));
    assertFalse(storage.root().orElseThrow().contains("/tmp/victim"));
    assertEquals("hdfs://nn", StorageSpec.files(StorageFormat.PARQUET, "hdfs://nn/{x}").root().orElseThrow()
        .declared());
    assertTrue(StorageSpec.files(StorageFormat.PARQUET, "{x}/y").root().orElseThrow()
        .contains(Path.of("").toAbsolutePath() + "/eu/y"));
  }

  @Test
  void childrenStayBelowAndRefuseClimbing() {
    assertEquals("/data/_reports/p/run_date=2026-11-21", root("/data/").child("_reports", "p", "run_date=2026-11-21"));
    assertThrows(IllegalArgumentException.class, () -> root("/data").child(".."));
    assertThrows(IllegalArgumentException.class, () -> root("/data").child("a/b"));
    assertThrows(IllegalArgumentException.class, () -> root("/data").child(""));
  }

  private PipelineConfig load(String datasets) throws IOException {
    Path file = dir.resolve("p.conf");
    Files.writeString(file, "pipeline { name = p, storage_root = \"" + dir.resolve("data") + "\" }\n"
        + "datasets {\n" + datasets + "\n}\n"
        + "steps { a { type = pass, inputs { in = source }, outputs { out = out } } }\n");
    return new PipelineConfigLoader(CATALOG).load(ConfigSource.file(file), Map.of());
  }

  @Test
  void datasetsTakeThePipelineRootOrTheirOwn() throws IOException {
    PipelineConfig p = load("""
          source { format = json, path = ${pipeline.storage_root}"/in/{region}", allow_subpaths = [region] }
          out { format = parquet, path = "/srv/shared/out/{run_date}", root = "/srv/shared" }
        """);
    assertEquals(StorageRoot.Origin.PIPELINE, p.dataset("source").storage().orElseThrow().root().orElseThrow().origin());
    assertEquals(Set.of("region"), p.dataset("source").storage().orElseThrow().allowSubpaths());
    assertEquals("/srv/shared", p.dataset("out").storage().orElseThrow().root().orElseThrow().declared());
    assertEquals(dir.resolve("data").toString(), p.storageRoot().orElseThrow().declared());
  }

  @Test
  void allowSubpathsNamesAPlaceholderOfThePath() throws IOException {
    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> load("""
          source { format = json, path = ${pipeline.storage_root}"/in/{region}/{run_date}", allow_subpaths = [regoin, run_date] }
          out { format = parquet, path = ${pipeline.storage_root}"/out" }
        """));
    assertTrue(e.getMessage().contains("'regoin' is not a placeholder") && e.getMessage().contains("did you mean"),
        e.getMessage());
    assertTrue(e.getMessage().contains("'run_date' always holds one folder name"), e.getMessage());
    assertTrue(e.getMessage().contains("p.conf:3"), e.getMessage());
  }
}
