package dev.stepwise.entrypoint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.core.config.Secrets;
import dev.stepwise.testing.SparkTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.Utils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import scala.Tuple2;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Real secret key names of Spark, Hadoop (s3a, abfs/wasb, gcs, hive's jdbc metastore) and Kafka,
 * each set in a grouping with a value of its own: no value shows in any output a person or a
 * scheduler sees (plan text and json, manifest, run report, advise), while ordinary settings stay
 * visible. Spark itself gets the same rule as {@code spark.redaction.regex}.
 */
@SparkTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecretCorpusTest {
  static final List<String> SECRET_KEYS = List.of(
      // Spark
      "spark.ssl.keyStorePassword", "spark.ssl.keyPassword", "spark.ssl.trustStorePassword",
      "spark.ssl.ui.keyStorePassword", "spark.ssl.standalone.keyPassword", "spark.authenticate.secret",
      "spark.kubernetes.authenticate.submission.oauthToken", "spark.kubernetes.authenticate.driver.oauthToken",
      "spark.hadoop.javax.jdo.option.ConnectionPassword",
      // Hadoop s3a and older s3 connectors
      "spark.hadoop.fs.s3a.access.key", "spark.hadoop.fs.s3a.secret.key", "spark.hadoop.fs.s3a.session.token",
      "spark.hadoop.fs.s3a.bucket.nightly.access.key", "spark.hadoop.fs.s3a.bucket.nightly.secret.key",
      "spark.hadoop.fs.s3a.encryption.key", "spark.hadoop.fs.s3a.server-side-encryption.key",
      "spark.hadoop.fs.s3a.proxy.password", "spark.hadoop.fs.s3.awsSecretAccessKey",
      "spark.hadoop.fs.s3n.awsAccessKeyId",
      // Azure abfs and wasb
      "spark.hadoop.fs.azure.account.key.myaccount.dfs.core.windows.net",
      "spark.hadoop.fs.azure.account.key.myaccount.blob.core.windows.net",
      "spark.hadoop.fs.azure.account.oauth2.client.secret",
      "spark.hadoop.fs.azure.account.oauth2.client.secret.myaccount.dfs.core.windows.net",
      "spark.hadoop.fs.azure.sas.mycontainer.myaccount.blob.core.windows.net",
      "spark.hadoop.fs.azure.sas.fixed.token", "spark.hadoop.fs.azure.sas.fixed.token.myaccount.dfs.core.windows.net",
      // Google Cloud Storage
      "spark.hadoop.fs.gs.auth.service.account.private.key", "spark.hadoop.fs.gs.auth.client.secret",
      "spark.hadoop.fs.gs.encryption.key", "spark.hadoop.google.cloud.auth.service.account.private.key",
      // Other object stores and Hive/JDBC
      "spark.hadoop.fs.cosn.userinfo.secretKey", "spark.hadoop.fs.oss.accessKeySecret",
      "spark.hadoop.fs.obs.secret.key", "spark.hadoop.hive.server2.keystore.password",
      "spark.hadoop.hive.metastore.dbaccess.ConnectionPassword", "spark.hadoop.hadoop.security.credstore.java-keystore-provider.password-file",
      // Kafka (Spark's per-cluster settings and client options)
      "spark.kafka.clusters.prod.ssl.keystore.password", "spark.kafka.clusters.prod.ssl.truststore.password",
      "spark.kafka.clusters.prod.ssl.key.password", "spark.kafka.sasl.jaas.config",
      "spark.kafka.ssl.keystore.key", "spark.kafka.sasl.oauthbearer.client.secret",
      // JDBC-style options some connectors read from the Spark conf
      "spark.datasource.jdbc.password", "spark.snowflake.sfPassword", "spark.snowflake.pem_private_key",
      "spark.datasource.api_key", "spark.datasource.passphrase", "spark.datasource.accessToken");

  /** Ordinary settings and their values: these must stay visible everywhere they were shown before. */
  static final Map<String, String> ORDINARY = new LinkedHashMap<>(Map.of(
      "spark.hadoop.fs.s3a.endpoint", "http://127.0.0.1:9999/visible-endpoint",
      "spark.hadoop.fs.s3a.aws.credentials.provider", "org.example.VisibleCredentialsProvider",
      "spark.ssl.keyStore", "/etc/visible/keystore.jks",
      "spark.hadoop.fs.s3a.path.style.access", "visible-true",
      "spark.kubernetes.namespace", "visible-namespace",
      "spark.eventLog.dir", "/tmp/visible-event-log"));

  private final SparkSession spark;
  private ExamplePipeline pipeline;
  private Path dir;
  private Path report;

  SecretCorpusTest(SparkSession spark) {
    this.spark = spark;
  }

  private static String secretValue(int i) {
    return "S3cr3t-value-" + i + "-do-not-print";
  }

  @BeforeAll
  void runTheExampleWithEverySecretSet(@TempDir Path dir) throws IOException {
    this.dir = dir;
    Path conf = dir.resolve("conf");
    Files.createDirectories(conf.resolve("groupings"));
    Path examples = ExamplePipeline.CONFIG.getParent();
    Files.copy(examples.resolve("payments.conf"), conf.resolve("payments.conf"));
    StringBuilder spark = new StringBuilder("spark {\n");
    for (int i = 0; i < SECRET_KEYS.size(); i++) {
      spark.append("  \"").append(SECRET_KEYS.get(i)).append("\" = \"").append(secretValue(i)).append("\"\n");
    }
    ORDINARY.forEach((key, value) -> spark.append("  \"").append(key).append("\" = \"").append(value).append("\"\n"));
    spark.append("}\n");
    // Both tasks get the same ordinary values: whether advise merges them depends on measured times,
    // and a merged task must still show them.
    String twoStage = Files.readString(examples.resolve("groupings/two-stage.conf"))
        .replaceAll("executor\\.memory = \\w+", "executor.memory = 3333m")
        .replaceAll("sql\\.shuffle\\.partitions = \\d+", "sql.shuffle.partitions = 7");
    Files.writeString(conf.resolve("groupings/secrets.conf"), spark + twoStage);
    pipeline = new ExamplePipeline(Cli.withSession(this.spark), dir.resolve("data"), conf.resolve("payments.conf"));
    pipeline.generate(60);
    report = dir.resolve("report.json");
    Cli.Result run = pipeline.command("run", "--all", "--grouping", "secrets", "--run-date", ExamplePipeline.RUN_DATE,
        "--metrics-out", report.toString());
    assertEquals(ExitCodes.OK, run.exitCode(), run.toString());
  }

  @Test
  void theCorpusIsLargeAndEveryKeyIsSecretByTheRule() {
    assertTrue(SECRET_KEYS.size() >= 40, "corpus of " + SECRET_KEYS.size());
    for (String key : SECRET_KEYS) {
      assertTrue(Secrets.isSecret(key), key);
      assertTrue(Secrets.isSecret(key.toUpperCase(java.util.Locale.ROOT)), key + " in upper case");
    }
    for (String key : List.of("spark.executor.memory", "spark.sql.shuffle.partitions", "spark.executor.cores",
        "spark.executor.instances", "spark.sql.session.timeZone", "fs.s3a.endpoint")) {
      assertFalse(Secrets.isSecret(key), key);
    }
    ORDINARY.keySet().forEach(key -> assertFalse(Secrets.isSecret(key), key));
  }

  @Test
  void noSecretValueShowsInAnyOutputAndOrdinarySettingsDo() throws IOException {
    Map<String, String> outputs = new LinkedHashMap<>();
    for (String format : List.of("text", "json")) {
      Cli.Result plan = pipeline.command("plan", "--grouping", "secrets", "--format", format);
      assertEquals(ExitCodes.OK, plan.exitCode(), plan.toString());
      outputs.put("plan " + format, plan.out());
    }
    Cli.Result manifest = pipeline.command("manifest", "--grouping", "secrets");
    assertEquals(ExitCodes.OK, manifest.exitCode(), manifest.toString());
    outputs.put("manifest", manifest.out());
    outputs.put("run report", Files.readString(report));
    Cli.Result advise = pipeline.command("advise", "--metrics", report.toString(), "--threshold", "0.10");
    assertEquals(ExitCodes.OK, advise.exitCode(), advise.toString());
    outputs.put("advise", advise.out() + advise.err());

    int checks = 0;
    for (Map.Entry<String, String> output : outputs.entrySet()) {
      for (int i = 0; i < SECRET_KEYS.size(); i++) {
        assertFalse(output.getValue().contains(secretValue(i)),
            output.getKey() + " shows the value of " + SECRET_KEYS.get(i));
        checks++;
      }
      for (Map.Entry<String, String> ordinary : ORDINARY.entrySet()) {
        assertTrue(output.getValue().contains(ordinary.getValue()),
            output.getKey() + " hides the ordinary setting " + ordinary.getKey() + ":\n" + output.getValue());
      }
      assertTrue(Pattern.compile("executor\\.memory\\W{1,6}3333m").matcher(output.getValue()).find(), output.getKey());
      assertTrue(Pattern.compile("sql\\.shuffle\\.partitions\\W{1,6}7\\b").matcher(output.getValue()).find(),
          output.getKey());
    }
    System.out.printf("secret keys tried: %d, outputs: %s, value checks: %d%n", SECRET_KEYS.size(),
        outputs.keySet(), checks);
  }

  /** Spark's own redaction (UI, event log, environment page) with the rule every session gets. */
  @Test
  void sparkRedactsTheSameKeysWithTheRuleItIsHanded() {
    String regex = SparkSubmitSessionFactory.redactionRegex(new SparkConf(false), Map.of());
    assertEquals(Secrets.REDACTION_REGEX, regex);
    SparkConf conf = new SparkConf(false).set(Secrets.SPARK_REDACTION_KEY, regex);
    List<Tuple2<String, String>> settings = new ArrayList<>();
    for (int i = 0; i < SECRET_KEYS.size(); i++) {
      settings.add(new Tuple2<>(SECRET_KEYS.get(i), secretValue(i)));
    }
    ORDINARY.forEach((key, value) -> settings.add(new Tuple2<>(key, value)));
    List<Tuple2<String, String>> redacted = new ArrayList<>(CollectionConverters.asJava(
        Utils.redact(conf, CollectionConverters.asScala(settings).toSeq())));
    for (Tuple2<String, String> setting : redacted) {
      boolean secret = SECRET_KEYS.contains(setting._1());
      if (secret) {
        assertFalse(setting._2().contains("do-not-print"), setting._1() + " -> " + setting._2());
      } else {
        assertEquals(ORDINARY.get(setting._1()), setting._2());
      }
    }
    // A rule given to spark-submit is kept: Spark redacts what either matches.
    String joined = SparkSubmitSessionFactory.redactionRegex(
        new SparkConf(false).set(Secrets.SPARK_REDACTION_KEY, "(?i)mycompany\\.internal"), Map.of());
    assertTrue(Pattern.compile(joined).matcher("spark.mycompany.internal").find());
    assertTrue(Pattern.compile(joined).matcher("spark.hadoop.fs.s3a.access.key").find());
  }
}
