package dev.stepwise.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.stepwise.core.config.PipelineConfigLoader;
import dev.stepwise.core.model.ConfigSource;
import dev.stepwise.core.model.DatasetSpec;
import dev.stepwise.core.model.PipelineConfig;
import dev.stepwise.core.model.RunContext;
import dev.stepwise.core.model.StorageFormat;
import dev.stepwise.core.model.StorageRoot;
import dev.stepwise.core.model.StorageSpec;
import dev.stepwise.core.model.UnsafeLocationException;
import dev.stepwise.core.problem.InvalidConfigException;
import dev.stepwise.core.step.StepCatalog;
import dev.stepwise.core.step.StepOutputs;
import dev.stepwise.core.step.StepType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * No placeholder value and no storage root makes a run's location leave its root: every value or
 * root is either refused with the exit-2 error types, or every location resolved with it lies
 * strictly below the root. "Below" is judged here independently of {@link StorageRoot}: by
 * qualifying the location as Hadoop's local file system does before writing, then comparing
 * java.nio paths.
 *
 * <p>Cases are generated from a seed (printed; set {@code -Dstepwise.paths.seed=N} to replay one)
 * plus a fixed corpus of known-nasty values.
 */
class PathContainmentPropertyTest {
  private static final LocalDate DAY = LocalDate.of(2026, 11, 21);
  private static final Path ROOT = Path.of(System.getProperty("java.io.tmpdir"), "stepwise-containment", "data")
      .toAbsolutePath();
  private static final FileSystem LOCAL = localFileSystem();
  private static final AtomicInteger REFUSED = new AtomicInteger();
  private static final AtomicInteger ACCEPTED = new AtomicInteger();

  /** Values known to have escaped, or to escape in some other system; each must be refused. */
  static final List<String> NASTY_VALUES = List.of(
      "", " ", "\t", "..", ".", "../", "../../../victim", "a/../../b", "/etc", "/", "//", "a//b",
      "..\\..\\victim", "C:\\victim", "c:", "file:/etc", "hdfs://nn/x", "s3a://bucket/x",
      "%2e%2e", "%2E%2E%2Fvictim", "%2f", "..%2f..%2fvictim", "%252e%252e", "%00", "a\u0000b", "a\nb", "a\rb",
      "line\u2028sep", "rtl\u202Eoverride", "zero\u200Bwidth", "bom\uFEFF", "\u0085next",
      "\uFF0E\uFF0E", "\uFF0E\uFF0E\uFF0Fvictim", "\u2024\u2024", "a\uFF0Fb", "．．／．．／victim",
      "*", "?", "[a-z]", "{a,b}", "a*", "{run_date}", "x{", "}",
      ".hidden", "_SUCCESS", "_temporary", ".stepwise-lock", " leading", "trailing ", "a" + "b".repeat(300),
      "\uD800", "x\uDFFF", "~root/../..");

  // A fixed default keeps CI repeatable; -Dstepwise.paths.seed=N explores other draws (bin/test runs the default).
  private static final long SEED = Long.getLong("stepwise.paths.seed", 20_261_202L);
  private static final int VALUE_TRIES = 2000;
  private static final int ROOT_TRIES = 1000;

  @Test
  void aPlaceholderValueIsRefusedOrStaysBelowTheRoot() {
    Random random = new Random(SEED);
    Generated values = new Generated(random);
    for (int i = 0; i < VALUE_TRIES; i++) {
      String value = values.value();
      try {
        checkValue(value);
      } catch (AssertionError e) {
        throw new AssertionError("seed " + SEED + ", try " + i + ", value '" + StorageRoot.printable(value) + "': "
            + e.getMessage(), e);
      }
    }
  }

  @Test
  void everyKnownNastyValueIsRefused() {
    for (String value : NASTY_VALUES) {
      for (StorageSpec storage : storages()) {
        try {
          new RunContext(DAY, Map.of("region", value), "run-1").resolve(storage, "sales");
          fail("accepted '" + StorageRoot.printable(value) + "' for " + storage.location());
        } catch (UnsafeLocationException expected) {
          assertTrue(expected.getMessage().contains("region"), expected.getMessage());
        }
      }
    }
  }

  @Test
  void plainValuesAreKept() {
    for (String value : List.of("eu", "EU-west_1", "zürich", "東京", "a.b", "2026-11-21", "v1.2", "a b", "x=1")) {
      String location = new RunContext(DAY, Map.of("region", value), "run-1").resolve(storages().get(0), "sales")
          .location();
      assertEquals(ROOT + "/out/" + value + "/run_date=2026-11-21", location);
    }
  }

  @Test
  void subFoldersAreAllowedOnlyWhereTheStorageSaysSo() {
    StorageSpec nested = storages().get(0).under(root());
    StorageSpec allowing = new StorageSpec(nested.format(), nested.location(), Map.of(), Optional.empty(),
        List.of(), nested.root(), Set.of("region"));
    RunContext run = new RunContext(DAY, Map.of("region", "eu/west"), "run-1");
    assertEquals(ROOT + "/out/eu/west/run_date=2026-11-21", run.resolve(allowing, "sales").location());
    UnsafeLocationException refused = org.junit.jupiter.api.Assertions.assertThrows(UnsafeLocationException.class,
        () -> run.resolve(nested, "sales"));
    assertTrue(refused.getMessage().contains("allow_subpaths = [region]"), refused.getMessage());
    UnsafeLocationException climbing = org.junit.jupiter.api.Assertions.assertThrows(UnsafeLocationException.class,
        () -> new RunContext(DAY, Map.of("region", "../x"), "run-1"));
    assertTrue(!climbing.getMessage().contains("allow_subpaths"), "no advice that would not help: "
        + climbing.getMessage());
    for (String value : List.of("eu/../..", "/eu", "eu//west", "eu/", "eu/.x", "eu/%2e%2e")) {
      org.junit.jupiter.api.Assertions.assertThrows(UnsafeLocationException.class,
          () -> new RunContext(DAY, Map.of("region", value), "run-1").resolve(allowing, "sales"), value);
    }
  }

  @Test
  void runDateIsNotAVariable() {
    UnsafeLocationException e = org.junit.jupiter.api.Assertions.assertThrows(UnsafeLocationException.class,
        () -> new RunContext(DAY, Map.of("run_date", "1999-01-01"), "run-1"));
    assertTrue(e.getMessage().contains("--run-date"), e.getMessage());
  }

  @Test
  void aStorageRootIsRefusedOrHoldsEveryLocation() throws IOException {
    Generated roots = new Generated(new Random(SEED));
    for (int i = 0; i < ROOT_TRIES; i++) {
      String root = roots.root();
      try {
        checkRoot(root);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("seed " + SEED + ", try " + i + ", root '" + StorageRoot.printable(root) + "': "
            + e.getMessage(), e);
      }
    }
  }

  private static void checkRoot(String root) throws IOException {
    PipelineConfig pipeline;
    try {
      pipeline = load(root);
    } catch (InvalidConfigException e) {
      assertTrue(e.getMessage().contains("storage_root"), e.getMessage());
      REFUSED.incrementAndGet();
      return;
    }
    for (DatasetSpec dataset : pipeline.datasets().values()) {
      StorageSpec storage = dataset.storage().orElseThrow();
      try {
        String location = new RunContext(DAY, Map.of("region", "eu"), "run-1").resolve(storage, dataset.name())
            .location();
        assertBelow(root, location);
        ACCEPTED.incrementAndGet();
      } catch (UnsafeLocationException e) {
        REFUSED.incrementAndGet();
      }
    }
  }

  @AfterAll
  static void printCounts() {
    System.out.printf("path containment (seed %d): %d locations refused, %d accepted and checked below their"
        + " root%n", SEED, REFUSED.get(), ACCEPTED.get());
  }

  /** Random text built to hit the rules: hostile characters, any unicode, very long, climbing pieces. */
  private static final class Generated {
    private static final String HOSTILE = "./\\%2eEfF:~ *?{}[]_aZ\u0000\n\t\u200B\u202E\uFF0E\uFF0F\u00E9";
    private static final List<String> CLIMBS = List.of("..", "../", "%2e%2e", "%2f", "/", "\\", "..\\",
        "\uFF0E\uFF0E");
    private static final List<String> ROOT_PIECES = List.of("/", "..", ".", "data", "%2e", "%2f", " ", "", "file:",
        "file://", "\\", "\u0000", "~", "*", "zürich", "//", "tmp", "x\n");
    private static final List<String> KNOWN_ROOTS = List.of("", " ", "  \t", "/", "file:/", "file:///", "///", "/.",
        "/tmp/..", "./..", "../..", "./data/../..", ".", "./", "hdfs://nn/", "s3a://bucket", "/" + "a".repeat(500),
        ROOT.toString(), "file://" + ROOT, "file:" + ROOT, ROOT + "/", ROOT + "/./x");
    private final Random random;

    Generated(Random random) {
      this.random = random;
    }

    String value() {
      return pick(List.of(
          () -> chars(HOSTILE, 24), () -> chars(HOSTILE, 24), () -> anyUnicode(40), this::longName,
          () -> pieces(CLIMBS, 8), () -> NASTY_VALUES.get(random.nextInt(NASTY_VALUES.size()))));
    }

    String root() {
      return pick(List.of(
          () -> pieces(ROOT_PIECES, 6), () -> ROOT.getParent() + "/" + pieces(ROOT_PIECES, 6),
          () -> "file://" + ROOT.getParent() + "/" + pieces(ROOT_PIECES, 6), () -> anyUnicode(60),
          () -> KNOWN_ROOTS.get(random.nextInt(KNOWN_ROOTS.size()))));
    }

    private String pick(List<Supplier<String>> generators) {
      return generators.get(random.nextInt(generators.size())).get();
    }

    private String chars(String alphabet, int maxLength) {
      StringBuilder out = new StringBuilder();
      int length = random.nextInt(maxLength + 1);
      for (int i = 0; i < length; i++) {
        out.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      return out.toString();
    }

    /** Any code point, including unpaired surrogates, controls and unassigned ones. */
    private String anyUnicode(int maxLength) {
      StringBuilder out = new StringBuilder();
      int length = random.nextInt(maxLength + 1);
      for (int i = 0; i < length; i++) {
        int cp = random.nextInt(4) == 0 ? random.nextInt(0x80) : random.nextInt(Character.MAX_CODE_POINT + 1);
        out.appendCodePoint(cp);
      }
      return out.toString();
    }

    private String longName() {
      return "n".repeat(200 + random.nextInt(200));
    }

    private String pieces(List<String> pieces, int max) {
      StringBuilder out = new StringBuilder();
      int count = random.nextInt(max + 1);
      for (int i = 0; i < count; i++) {
        out.append(pieces.get(random.nextInt(pieces.size())));
      }
      return out.toString();
    }
  }

  private static void checkValue(String value) {
    RunContext run;
    try {
      run = new RunContext(DAY, Map.of("region", value), "run-1");
    } catch (UnsafeLocationException refused) {
      REFUSED.incrementAndGet();
      return;
    }
    for (StorageSpec storage : storages()) {
      for (boolean subpaths : new boolean[] {false, true}) {
        StorageSpec checked = subpaths ? new StorageSpec(storage.format(), storage.location(), Map.of(),
            Optional.empty(), List.of(), storage.root(), Set.of("region")) : storage;
        String location;
        try {
          location = run.resolve(checked, "sales").location();
        } catch (UnsafeLocationException refused) {
          REFUSED.incrementAndGet();
          continue;
        }
        assertBelow(ROOT.toString(), location);
        ACCEPTED.incrementAndGet();
      }
    }
  }

  /** Locations under {@link #ROOT}: nested, first level, repeated, as plain paths and as file: URIs. */
  private static List<StorageSpec> storages() {
    List<StorageSpec> storages = new ArrayList<>();
    for (String template : List.of(ROOT + "/out/{region}/run_date={run_date}", ROOT + "/{region}",
        ROOT + "/a/{region}/b/{region}", "file://" + ROOT + "/out/{region}", "file:" + ROOT + "/x/region={region}")) {
      storages.add(StorageSpec.files(StorageFormat.PARQUET, template).under(root()));
    }
    return storages;
  }

  private static StorageRoot root() {
    return StorageRoot.declared(ROOT.toString(), StorageRoot.Origin.PIPELINE);
  }

  /**
   * As Hadoop would write it, the location is strictly below the root: on the local file system as
   * qualified by it; on any other scheme, same scheme and authority and a path below.
   */
  private static void assertBelow(String root, String location) {
    URI rootUri = new org.apache.hadoop.fs.Path(root).toUri();
    URI locationUri = new org.apache.hadoop.fs.Path(location).toUri();
    boolean local = rootUri.getScheme() == null || rootUri.getScheme().equals("file");
    if (!local) {
      assertEquals(rootUri.getScheme(), locationUri.getScheme(), location);
      assertEquals(rootUri.getAuthority(), locationUri.getAuthority(), location);
    }
    Path rootPath = local ? local(root) : Path.of(rootUri.getPath()).normalize();
    Path locationPath = local ? local(location) : Path.of(locationUri.getPath()).normalize();
    assertTrue(locationPath.startsWith(rootPath) && !locationPath.equals(rootPath),
        "'" + StorageRoot.printable(location) + "' (" + locationPath + ") is not below '"
            + StorageRoot.printable(root) + "' (" + rootPath + ")");
  }

  private static Path local(String location) {
    URI uri = LOCAL.makeQualified(new org.apache.hadoop.fs.Path(location)).toUri();
    assertEquals("file", uri.getScheme(), location);
    return Path.of(uri.getPath()).normalize();
  }

  private static PipelineConfig load(String root) throws IOException {
    Path dir = Files.createTempDirectory("containment");
    Path file = dir.resolve("pipeline.conf");
    Files.writeString(file, """
        pipeline { name = contained, storage_root = "./unused" }
        datasets {
          source { format = json, path = ${pipeline.storage_root}"/in/{region}/run_date={run_date}" }
          out { format = parquet, path = ${pipeline.storage_root}"/out/{run_date}" }
          last { format = parquet, path = ${pipeline.storage_root}"/x" }
        }
        steps { a { type = pass, inputs { in = source }, outputs { out = out } }
                b { type = pass, inputs { in = out }, outputs { out = last } } }
        """);
    try {
      return new PipelineConfigLoader(CATALOG).load(ConfigSource.file(file), Map.of("pipeline.storage_root", root));
    } finally {
      Files.delete(file);
      Files.delete(dir);
    }
  }

  private static final StepCatalog CATALOG = StepCatalog.of(List.of(
      StepType.named("pass").inputs("in").outputs("out").create(p -> in -> StepOutputs.of("out", in.get("in")))));

  private static FileSystem localFileSystem() {
    try {
      return FileSystem.getLocal(new Configuration());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
