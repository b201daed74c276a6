package dev.stepwise.entrypoint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.entrypoint.StepwiseMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manifest is a contract with the Airflow DAG factory (airflow-dags/README.md): these check its
 * fields through the real command line, with no Spark. The Python side checks the DAG built from it.
 */
class ManifestTest {
  private static final Path CONFIG = Path.of("..", "conf", "payments.conf").toAbsolutePath().normalize();

  private final Cli cli = Cli.withoutSpark();

  private JsonNode manifest(String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("manifest", "--config", CONFIG.toString()));
    args.addAll(List.of(extra));
    Cli.Result result = cli.run(args.toArray(String[]::new));
    assertEquals(0, result.exitCode(), result::toString);
    return new ObjectMapper().readTree(result.out());
  }

  private static List<String> texts(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(node -> values.add(node.asText()));
    return values;
  }

  @Test
  void describesThePipelineItsScheduleAndTheApplication() throws Exception {
    JsonNode manifest = manifest("--grouping", "daily");

    assertEquals(1, manifest.get("schema_version").asInt());
    assertEquals("payments", manifest.get("pipeline").asText());
    assertEquals("daily", manifest.get("grouping").asText());
    assertEquals("0 3 * * *", manifest.get("schedule").asText());
    assertEquals(List.of("stepwise", "pipeline:payments", "grouping:daily"), texts(manifest.get("tags")));
    assertEquals("payments-data", manifest.at("/default_args/owner").asText());
    assertEquals(2, manifest.at("/default_args/retries").asInt());
    assertEquals(600, manifest.at("/default_args/retry_delay_seconds").asLong());
    assertEquals("stepwise-entrypoint.jar", manifest.at("/application/jar").asText());
    assertEquals(StepwiseMain.class.getName(), manifest.at("/application/main_class").asText());
  }

  @Test
  void givesEachTaskItsUpstreamStepsDatasetsSortedSparkSettingsAndArguments() throws Exception {
    JsonNode ledger = manifest("--grouping", "daily").at("/tasks/1");

    assertEquals("ledger", ledger.get("name").asText());
    assertEquals(List.of("ingest"), texts(ledger.get("upstream")));
    assertEquals(List.of("compute_fees", "post_ledger", "check_ledger"), texts(ledger.get("steps")));
    assertEquals(List.of("classified_payments"), texts(ledger.get("reads")));
    assertEquals(List.of("payments_with_fees", "ledger_entries", "ledger_balance_report"), texts(ledger.get("writes")));
    List<String> keys = new ArrayList<>();
    ledger.get("spark_conf").fieldNames().forEachRemaining(keys::add);
    assertEquals(List.of("spark.executor.cores", "spark.executor.instances", "spark.executor.memory",
        "spark.sql.shuffle.partitions"), keys);
    assertEquals("4g", ledger.at("/spark_conf/spark.executor.memory").asText());
    assertEquals(List.of("run", "--task", "ledger", "--config", CONFIG.toString(), "--grouping", "daily",
        "--run-date", "{{ ds }}"), texts(ledger.get("application_args")));
  }

  @Test
  void carriesTheUsersJarsTheFilesToShipAndTheConfigAsTheClusterSeesIt() throws Exception {
    Path jar = ExampleJar.path();
    JsonNode manifest = manifest("--grouping", "two-stage", "--jars", jar.toString(),
        "--config-on-cluster", "/srv/pipelines/payments.conf", "--files", "/srv/lookups/fees.csv,/srv/a.txt");

    assertEquals(List.of(jar.toString()), texts(manifest.get("jars")));
    assertEquals(List.of("/srv/lookups/fees.csv", "/srv/a.txt"), texts(manifest.get("files")));
    assertEquals(2, manifest.get("tasks").size());
    manifest.get("tasks").forEach(task -> {
      List<String> args = texts(task.get("application_args"));
      assertEquals("/srv/pipelines/payments.conf", args.get(args.indexOf("--config") + 1), args::toString);
      assertEquals("two-stage", args.get(args.indexOf("--grouping") + 1), args::toString);
    });
  }

  @Test
  void writesTheJarsWhereTheClusterFindsThemWhenTold() throws Exception {
    JsonNode manifest = manifest("--grouping", "daily", "--jars", ExampleJar.path().toString(),
        "--jars-on-cluster", "hdfs:///apps/payments/steps.jar");

    assertEquals(List.of("hdfs:///apps/payments/steps.jar"), texts(manifest.get("jars")));
    assertEquals(List.of(), texts(manifest.get("files")));
  }

  @Test
  void aGroupingGivenAsAFileTravelsAsThatFile() throws Exception {
    Path grouping = CONFIG.resolveSibling("groupings").resolve("daily.conf");
    JsonNode manifest = manifest("--grouping", grouping.toString());

    assertEquals("daily", manifest.get("grouping").asText());
    List<String> args = texts(manifest.at("/tasks/0/application_args"));
    assertEquals(grouping.toString(), args.get(args.indexOf("--grouping") + 1));
  }

  @Test
  void passesConfigOverridesOnToEveryTask() throws Exception {
    JsonNode manifest = manifest("--grouping", "per-step", "--set", "pipeline.storage_root=/lake");

    assertEquals(12, manifest.get("tasks").size());
    manifest.get("tasks").forEach(task -> {
      List<String> args = texts(task.get("application_args"));
      assertEquals(List.of("--set", "pipeline.storage_root=/lake"), args.subList(args.size() - 2, args.size()));
      assertEquals(CONFIG.toString(), args.get(args.indexOf("--config") + 1));
    });
  }

  @Test
  void startsEveryTasksDriverWithTheClassArchiveWhenOneIsNamed() throws Exception {
    JsonNode manifest = manifest("--grouping", "per-step", "--class-archive", "/opt/stepwise/spark-4.2.jsa");

    assertEquals(12, manifest.get("tasks").size());
    manifest.get("tasks").forEach(task -> assertEquals(
        "-XX:SharedArchiveFile=/opt/stepwise/spark-4.2.jsa -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off",
        task.at("/spark_conf/spark.driver.extraJavaOptions").asText(), task::toString));
  }

  @Test
  void keepsATasksOwnDriverOptionsBeforeTheArchives(@TempDir Path dir) throws Exception {
    Path grouping = Files.writeString(dir.resolve("own-options.conf"), String.join("\n",
        "tasks {",
        "  everything {",
        "    steps = [parse_events, deduplicate, normalize_currencies, enrich_with_bookings, classify, compute_fees,",
        "      post_ledger, check_ledger, revenue_by_market, host_payouts, reconcile, summarize_rejections]",
        "    spark { driver.extraJavaOptions = \"-Dpayments.audit=on -XX:+UseParallelGC\" }",
        "  }",
        "}"));

    JsonNode task = manifest("--grouping", grouping.toString(), "--class-archive", "/srv/a.jsa").at("/tasks/0");

    assertEquals("-Dpayments.audit=on -XX:+UseParallelGC -XX:SharedArchiveFile=/srv/a.jsa -Xshare:auto"
        + " -Xlog:cds=off -Xlog:cds+dynamic=off", task.at("/spark_conf/spark.driver.extraJavaOptions").asText());
  }

  /** Spark's launcher splits the driver's options on white space, and a relative path depends on where it starts. */
  @Test
  void refusesEveryArchivePathTheDriverWouldReadWrongly() {
    List<String> bad = new ArrayList<>(List.of("", "classes.jsa", "./classes.jsa", "~/classes.jsa", "target/a.jsa"));
    for (String base : List.of("/opt/stepwise/classes.jsa", "/a.jsa")) {
      for (String inserted : List.of(" ", "\t", "\n", "\"", "'", "\u2003")) {
        for (int at = 1; at <= base.length(); at += 3) {
          bad.add(base.substring(0, at) + inserted + base.substring(at));
        }
      }
    }
    for (String path : bad) {
      Cli.Result result = cli.run("manifest", "--config", CONFIG.toString(), "--grouping", "daily",
          "--class-archive", path);
      assertEquals(2, result.exitCode(), () -> "'" + path + "': " + result);
      assertTrue(result.err().contains("--class-archive needs an absolute path without spaces or quotes"),
          result::toString);
      assertEquals("", result.out(), "no manifest for a bad archive path");
    }
  }

  @Test
  void namesTheNewerJdkForTheDriversWithItsCacheAndTheFallbackWithItsArchive() throws Exception {
    JsonNode manifest = manifest("--grouping", "daily", "--java-home", "/usr/lib/jvm/temurin-25-jdk-amd64",
        "--aot-cache", "/opt/stepwise/drivers.aot", "--class-archive", "/opt/stepwise/drivers.jsa");

    JsonNode jvm = manifest.get("driver_jvm");
    assertEquals("/usr/lib/jvm/temurin-25-jdk-amd64", jvm.get("java_home").asText());
    assertEquals("-XX:AOTCache=/opt/stepwise/drivers.aot -Xlog:aot*=off,cds*=off", jvm.get("java_options").asText());
    assertEquals("-XX:SharedArchiveFile=/opt/stepwise/drivers.jsa -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off",
        jvm.get("fallback_java_options").asText());
    // The archive is the fallback's: no task carries it in its own settings, where both JVMs would get it.
    manifest.get("tasks").forEach(task -> assertTrue(task.at("/spark_conf/spark.driver.extraJavaOptions").isMissingNode(),
        task::toString));
  }

  @Test
  void leavesDriverJvmOutWithoutAJavaHomeAndTheCacheOutWithoutACache() throws Exception {
    assertTrue(manifest("--grouping", "daily").path("driver_jvm").isMissingNode());

    JsonNode jvm = manifest("--grouping", "daily", "--java-home", "/opt/jdk-25").get("driver_jvm");
    assertEquals("", jvm.get("java_options").asText());
    assertEquals("", jvm.get("fallback_java_options").asText());
  }

  /** Each bad --java-home or --aot-cache (alone or with the other) exits 2 and prints no manifest. */
  @Test
  void refusesEveryJdkAndCacheTheDriverWouldReadWrongly() {
    List<List<String>> bad = new ArrayList<>();
    for (String home : List.of("", "jdk-25", "./jdk", "~/jdk-25", "usr/lib/jvm/jdk-25", "/opt/jdk\n25")) {
      bad.add(List.of("--java-home", home));
    }
    bad.add(List.of("--aot-cache", "/opt/stepwise/drivers.aot"));  // no JDK to read it
    for (String cache : List.of("", "drivers.aot", "target/drivers.aot", "/opt/step wise.aot", "/opt/'a'.aot",
        "/opt/\"a\".aot", "/opt/a\t.aot", "/opt/a\u2003.aot")) {
      bad.add(List.of("--java-home", "/opt/jdk-25", "--aot-cache", cache));
    }
    for (List<String> options : bad) {
      List<String> args = new ArrayList<>(List.of("manifest", "--config", CONFIG.toString(), "--grouping", "daily"));
      args.addAll(options);
      Cli.Result result = cli.run(args.toArray(String[]::new));
      assertEquals(2, result.exitCode(), () -> options + ": " + result);
      String expected = options.get(0).equals("--aot-cache") ? "--aot-cache needs --java-home"
          : options.get(options.size() - 2) + " needs";
      assertTrue(result.err().contains(expected), () -> options + ": " + result);
      assertEquals("", result.out(), () -> "no manifest for " + options);
    }
  }
}
