package dev.stepwise.entrypoint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.entrypoint.StepwiseMain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Placeholder values and storage roots that would put a run's data anywhere but below its root are
 * refused through the real command line with exit 2, before any SparkSession, and touch nothing.
 */
class PathSafetyTest {
  private static final Path CONF = Path.of("..", "conf").toAbsolutePath().normalize();
  private static final String SUMMARY_PATH = "\"/reports/rejected_event_summary/run_date={run_date}\"";

  /** Values that escaped, or would in another file system or tool, in the probe and since. */
  private static final List<String> NASTY = List.of("../../../victim", "../victim", "..", ".", "", " ",
      "/abs/victim", "a/../../../victim", "..\\..\\victim", "%2e%2e", "%2e%2e%2fvictim", "..%2f..%2fvictim",
      "%252e%252e", "\uFF0E\uFF0E", "\uFF0E\uFF0E\uFF0Fvictim", "a\nb", "a\u0000b", "rtl\u202Evictim", "*", "{a,b}",
      "[v]ictim", "file:/victim", "hdfs://nn/victim", ".stepwise-lock", "_temporary", "x".repeat(300));

  @TempDir Path dir;

  private final Cli cli = Cli.withoutSpark();

  /** conf/ copied with {region} in the path of data_quality's output. */
  private Path configWithRegion() throws IOException {
    return configWith(SUMMARY_PATH, "\"/reports/{region}\"");
  }

  private Path configWith(String original, String replacement) throws IOException {
    Path target = dir.resolve("conf");
    Files.createDirectories(target.resolve("groupings"));
    for (String name : List.of("payments.conf", "groupings/daily.conf", "groupings/two-stage.conf")) {
      String text = Files.readString(CONF.resolve(name));
      if (name.equals("payments.conf")) {
        assertTrue(text.contains(original), "the example config no longer contains " + original);
        text = text.replace(original, replacement);
      }
      Files.writeString(target.resolve(name), text);
    }
    return target.resolve("payments.conf");
  }

  @Test
  void aVarClimbingOutOfTheRootExitsTwoAndLeavesTheVictimIntact() throws IOException {
    Path root = dir.resolve("a/b/data");
    Files.createDirectories(root);
    // data/reports/{region} with ../../../victim is a/victim: a folder someone else owns, with files in it.
    Path victim = dir.resolve("a/victim");
    Files.createDirectories(victim.resolve("inner"));
    Files.writeString(victim.resolve("keep.txt"), "precious");
    Files.writeString(victim.resolve("inner/keep.parquet"), "also precious");
    Path config = configWithRegion();

    Cli.Result result = cli.run("run", "--task", "data_quality", "--grouping", "daily", "--run-date", "2026-11-21",
        "--var", "region=../../../victim", "--config", config.toString(), "--set", "pipeline.storage_root=" + root);

    assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
    assertTrue(result.err().contains("--var region='../../../victim'"), result.err());
    assertEquals("precious", Files.readString(victim.resolve("keep.txt")));
    assertEquals("also precious", Files.readString(victim.resolve("inner/keep.parquet")));
    try (Stream<Path> left = Files.list(victim)) {
      assertEquals(List.of("inner", "keep.txt"), left.map(p -> p.getFileName().toString()).sorted().toList());
    }
    assertFalse(Files.exists(root.resolve("_reports")), "a refused run writes no report");
  }

  @Test
  void everyNastyValueExitsTwoBeforeSparkAndTouchesNothing() throws IOException {
    Path root = dir.resolve("a/b/data");
    Files.createDirectories(root);
    Path config = configWithRegion();
    List<String> accepted = new ArrayList<>();
    for (String value : NASTY) {
      Cli.Result result = cli.run("run", "--task", "data_quality", "--grouping", "daily", "--run-date", "2026-11-21",
          "--var", "region=" + value, "--config", config.toString(), "--set", "pipeline.storage_root=" + root);
      if (result.exitCode() != ExitCodes.USAGE || !result.err().contains("region")
          || result.err().contains("\tat ")) {
        accepted.add(value + " -> " + result);
      }
    }
    assertEquals(List.of(), accepted);
    try (Stream<Path> written = Files.walk(dir.resolve("a"))) {
      assertEquals(List.of(root), written.filter(p -> !p.equals(dir.resolve("a")) && !p.equals(root.getParent()))
          .toList(), "nothing written anywhere");
    }
  }

  @Test
  void aPlainValueStillPasses() throws IOException {
    Path config = configWithRegion();
    Cli.Result result = cli.run("plan", "--grouping", "daily", "--config", config.toString(),
        "--set", "pipeline.storage_root=" + dir.resolve("data"));
    assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
    // A run with a good value gets past every location check to the missing-input check (exit 1, no Spark).
    Cli.Result run = cli.run("run", "--task", "data_quality", "--grouping", "daily", "--run-date", "2026-11-21",
        "--var", "region=eu-west", "--config", config.toString(), "--set", "pipeline.storage_root=" + dir.resolve("data"));
    assertEquals(ExitCodes.RUN_FAILED, run.exitCode(), run.toString());
    assertTrue(run.err().contains("has no data"), run.toString());
  }

  @Test
  void runDateCannotBeSetAsAVariable() {
    Cli.Result result = cli.run("run", "--task", "ingest", "--grouping", "daily", "--run-date", "2026-11-21",
        "--var", "run_date=1999-01-01", "--config", CONF.resolve("payments.conf").toString(),
        "--set", "pipeline.storage_root=" + dir.resolve("data"));
    assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
    assertTrue(result.err().contains("--run-date"), result.err());
  }

  @Test
  void aStorageRootThatIsEmptyOrTheTopOrClimbingIsRefusedNamingWhereItCameFrom() {
    for (String root : List.of("", " ", "\t", "/", "file:///", "file:/", "//", "./..", "data/../..", "../../..",
        "/tmp/../", "\u0000", "file://otherhost/data", "/data/*", "/data/%2e%2e")) {
      Cli.Result result = cli.run("validate", "--config", CONF.resolve("payments.conf").toString(),
          "--set", "pipeline.storage_root=" + root);
      assertEquals(ExitCodes.USAGE, result.exitCode(), "root '" + root + "': " + result);
      assertTrue(result.err().contains("pipeline.storage_root") && result.err().contains("--set"),
          "root '" + root + "': " + result.err());
      assertFalse(result.err().contains("\tat "), result.err());
    }
  }

  @Test
  void anEmptyStorageRootInTheFileNamesItsLine() throws IOException {
    Path config = dir.resolve("payments.conf");
    String text = Files.readString(CONF.resolve("payments.conf"))
        .replace("storage_root = \"./data\"\n  storage_root = ${?STEPWISE_DATA}", "storage_root = \"\"");
    assertTrue(text.contains("storage_root = \"\""), "the example config no longer sets storage_root as expected");
    Files.writeString(config, text);
    int line = text.substring(0, text.indexOf("storage_root = \"\"")).split("\n", -1).length;
    Cli.Result result = cli.run("validate", "--config", config.toString());
    assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
    assertTrue(result.err().contains(config + ":" + line), result.err());
    assertTrue(result.err().contains("pipeline.storage_root") && result.err().contains("is empty"), result.err());
  }

  @Test
  void aPathWrittenOutsideTheRootIsAConfigErrorUnlessTheDatasetDeclaresItsRoot() throws IOException {
    String outside = "path = \"" + dir.resolve("elsewhere") + "/summary/run_date={run_date}\"";
    Path config = configWith("path = ${pipeline.storage_root}" + SUMMARY_PATH, outside);
    String text = Files.readString(config);
    int line = text.substring(0, text.indexOf(outside)).split("\n", -1).length;
    Cli.Result result = cli.run("validate", "--config", config.toString(), "--set",
        "pipeline.storage_root=" + dir.resolve("data"));
    assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
    assertTrue(result.err().contains(config + ":" + line) && result.err().contains("not below its storage root"),
        result.err());

    Files.writeString(config, text.replace(outside, outside + "\n    root = \"" + dir.resolve("elsewhere") + "\""));
    Cli.Result declared = cli.run("validate", "--config", config.toString(), "--set",
        "pipeline.storage_root=" + dir.resolve("data"));
    assertEquals(ExitCodes.OK, declared.exitCode(), declared.toString());
  }

  /** A scheduler that exports STEPWISE_DATA="" gets exit 2 naming the variable: a real process, a real environment. */
  @Test
  void anEmptyEnvironmentVariableIsNamed() throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), StepwiseMain.class.getName(), "validate", "--config",
        CONF.resolve("payments.conf").toString()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("STEPWISE_DATA", "");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "validate did not finish");
    assertEquals(ExitCodes.USAGE, process.exitValue(), output);
    assertTrue(output.contains("the environment variable STEPWISE_DATA"), output);
    assertTrue(output.contains("payments.conf:11"), output);
    assertTrue(output.contains("pipeline.storage_root"), output);
  }
}
