package dev.stepwise.entrypoint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A secret in a grouping's Spark settings never shows in plans or manifests. */
class SecretMaskingTest {
  private static final String SECRET = "hunter2-do-not-print";
  private final Cli cli = Cli.withoutSpark();

  private Path groupingWithASecret(Path dir) throws IOException {
    String daily = Files.readString(ExamplePipeline.CONFIG.getParent().resolve("groupings/daily.conf"));
    Path grouping = dir.resolve("secret.conf");
    Files.writeString(grouping, daily.replace("executor.instances = 8",
        "executor.instances = 8\n      hadoop.fs.s3a.secret.key = \"" + SECRET + "\""));
    return grouping;
  }

  @Test
  void plansShowTheKeyButMaskTheValue(@TempDir Path dir) throws IOException {
    Path grouping = groupingWithASecret(dir);
    for (String format : new String[] {"text", "json"}) {
      Cli.Result result = cli.run("plan", "--config", ExamplePipeline.CONFIG.toString(), "--grouping",
          grouping.toString(), "--format", format);
      assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
      assertFalse(result.out().contains(SECRET), result.toString());
      assertTrue(result.out().contains("spark.hadoop.fs.s3a.secret.key") && result.out().contains("*****"),
          result.toString());
    }
  }

  @Test
  void manifestsLeaveSecretSettingsToTheEntryPoint(@TempDir Path dir) throws IOException {
    Cli.Result result = cli.run("manifest", "--config", ExamplePipeline.CONFIG.toString(), "--grouping",
        groupingWithASecret(dir).toString());
    assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
    assertFalse(result.out().contains(SECRET) || result.out().contains("secret.key"), result.toString());
  }

  @Test
  void aSecretGivenWithSetIsRefusedForAManifest() {
    Cli.Result result = cli.run("manifest", "--config", ExamplePipeline.CONFIG.toString(), "--set",
        "pipeline.warehouse.password=" + SECRET);
    assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
    assertFalse(result.err().contains(SECRET), result.toString());
    assertTrue(result.err().contains("holds a secret"), result.toString());
  }
}
