package dev.stepwise.entrypoint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's steps come in jars given with --jars: each bad jar is a usage error naming it, before
 * Spark, on every command. The jars here are real, made and compiled by the test.
 */
class StepJarsTest {
  private static final List<String> COMMANDS = List.of("validate", "plan", "manifest");

  @TempDir Path dir;

  private final Cli cli = Cli.withoutSpark();

  /** A pipeline of one source and one step of the user's type {@code type}. */
  private Path userConfig(String type) throws IOException {
    Path config = dir.resolve("temps.conf");
    Files.writeString(config, String.join("\n",
        "pipeline { name = temps, storage_root = \"" + dir.resolve("data") + "\" }",
        "datasets {",
        "  raw_temps { format = csv, path = ${pipeline.storage_root}\"/raw\", options { header = \"true\" } }",
        "  hourly_temps { format = parquet, path = ${pipeline.storage_root}\"/hourly/run_date={run_date}\" }",
        "}",
        "steps {",
        "  parse { type = " + type + ", inputs { in = raw_temps }, outputs { out = hourly_temps } }",
        "}", ""));
    return config;
  }

  private Cli.Result run(String command, Path config, String jars) {
    return cli.run(command, "--config", config.toString(), "--jars", jars);
  }

  @Test
  void aUsersJarMakesItsStepTypesKnownToEveryCommand() throws IOException {
    Path jar = TestJars.stepLibrary(dir.resolve("temps-steps.jar"), "com.example.temps", "TempSteps",
        List.of("parse_hourly_temps"));
    Path config = userConfig("parse_hourly_temps");

    for (String command : COMMANDS) {
      Cli.Result result = run(command, config, jar.toString());
      assertEquals(ExitCodes.OK, result.exitCode(), command + ": " + result);
    }
    Cli.Result without = cli.run("validate", "--config", config.toString());
    assertEquals(ExitCodes.USAGE, without.exitCode(), without.toString());
    assertTrue(without.err().contains("unknown step type 'parse_hourly_temps'"), without.toString());
  }

  @Test
  void aMissingJarIsAUsageErrorNamingItOnEveryCommand() throws IOException {
    Path config = userConfig("compute_fees");
    for (String name : List.of("nope.jar", "target/my-steps.jar", "a b/steps-1.0.jar")) {
      for (String command : COMMANDS) {
        Cli.Result result = run(command, config, dir.resolve(name).toString());
        assertEquals(ExitCodes.USAGE, result.exitCode(), command + ": " + result);
        assertTrue(result.err().contains(dir.resolve(name) + " does not exist"), result.toString());
        assertFalse(result.err().contains("\tat "), "no stack trace without --verbose: " + result);
      }
    }
  }

  @Test
  void aJarWithoutAStepLibraryIsAUsageErrorNamingIt() throws IOException {
    Path config = userConfig("compute_fees");
    List<Map<String, String>> contents = List.of(
        Map.of(),
        Map.of("com/example/Readme.txt", "no steps here"),
        Map.of("META-INF/services/org.apache.spark.sql.sources.DataSourceRegister", "com.example.Source\n"),
        Map.of("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n"));
    for (int i = 0; i < contents.size(); i++) {
      Path jar = TestJars.jar(dir.resolve("no-library-" + i + ".jar"), contents.get(i));
      Cli.Result result = run("validate", config, jar.toString());
      assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
      assertTrue(result.err().contains(jar + " has no step library"), result.toString());
      assertTrue(result.err().contains(StepJars.SERVICE), result.toString());
    }
  }

  @Test
  void aFileThatIsNotAJarOrAFolderIsAUsageErrorNamingIt() throws IOException {
    Path config = userConfig("compute_fees");
    Path text = Files.writeString(dir.resolve("steps.jar"), "not a zip");
    Cli.Result notAJar = run("validate", config, text.toString());
    assertEquals(ExitCodes.USAGE, notAJar.exitCode(), notAJar.toString());
    assertTrue(notAJar.err().contains(text + " is not a readable jar"), notAJar.toString());

    Cli.Result folder = run("validate", config, dir.toString());
    assertEquals(ExitCodes.USAGE, folder.exitCode(), folder.toString());
    assertTrue(folder.err().contains(dir + " is not a file"), folder.toString());
  }

  @Test
  void aServiceNamingAMissingClassIsAUsageErrorNamingTheClass() throws IOException {
    Path config = userConfig("compute_fees");
    Path jar = TestJars.jar(dir.resolve("broken.jar"), Map.of(StepJars.SERVICE, "com.example.Gone\n"));
    Cli.Result result = run("validate", config, jar.toString());
    assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
    assertTrue(result.err().contains("com.example.Gone"), result.toString());
  }

  /** Every pair of libraries among several jars that share a type name is reported with both jars. */
  @Test
  void twoLibrariesDefiningOneStepTypeAreAUsageErrorNamingBothJars() throws IOException {
    Path config = userConfig("parse_hourly_temps");
    int libraries = 4;
    List<Path> jars = new ArrayList<>();
    for (int i = 0; i < libraries; i++) {
      jars.add(TestJars.stepLibrary(dir.resolve("lib" + i + ".jar"), "com.example.lib" + i, "Steps" + i,
          List.of("own_type_" + i, "shared_with_" + i)));
    }
    for (int first = 0; first < libraries; first++) {
      for (int second = first + 1; second < libraries; second++) {
        Path clash = TestJars.stepLibrary(dir.resolve("clash-" + first + "-" + second + ".jar"),
            "com.example.clash" + first + second, "Clash", List.of("shared_with_" + first, "parse_hourly_temps"));
        String given = jars.get(first) + "," + jars.get(second) + "," + clash;
        Cli.Result result = run("validate", config, given);
        assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
        assertTrue(result.err().contains("step type 'shared_with_" + first + "' is defined twice"), result.toString());
        assertTrue(result.err().contains(jars.get(first).toString()), result.toString());
        assertTrue(result.err().contains(clash.toString()), result.toString());
      }
    }
  }

  @Test
  void aUsersLibraryMayNotRedefineATypeOnTheClassPath() throws IOException {
    Path config = userConfig("compute_fees");
    Path clash = TestJars.stepLibrary(dir.resolve("fees.jar"), "com.example.fees", "FeeSteps",
        List.of("compute_fees"));
    Cli.Result result = run("validate", config, clash.toString());
    assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
    assertTrue(result.err().contains("step type 'compute_fees' is defined twice"), result.toString());
    assertTrue(result.err().contains("dev.stepwise.examples.payments.PaymentsStepLibrary"), result.toString());
    assertTrue(result.err().contains(clash.toString()), result.toString());
  }

  @Test
  void withNoConfigGivenTheErrorSaysHowToGiveOne() {
    assumeTrue(System.getenv(PipelineOptions.CONFIG_VARIABLE) == null, "STEPWISE_CONFIG is set in this environment");
    for (String command : COMMANDS) {
      Cli.Result result = cli.run(command);
      assertEquals(ExitCodes.USAGE, result.exitCode(), command + ": " + result);
      assertTrue(result.err().contains("no pipeline config: pass --config FILE or set STEPWISE_CONFIG"),
          result.toString());
    }
  }
}
