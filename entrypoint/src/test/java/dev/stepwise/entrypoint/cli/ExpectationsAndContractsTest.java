package dev.stepwise.entrypoint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.testing.SparkTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Expectations and schema contracts on real runs of the example, with one rule changed per test. */
@SparkTest
class ExpectationsAndContractsTest {
  private static final String DAY = ExamplePipeline.RUN_DATE;
  private final SparkSession spark;
  @TempDir Path dir;

  ExpectationsAndContractsTest(SparkSession spark) {
    this.spark = spark;
  }

  /** conf/ copied with one edit of payments.conf; returns the config path. */
  private Path configWith(String original, String replacement) throws IOException {
    Path conf = dir.resolve("conf");
    Files.createDirectories(conf.resolve("groupings"));
    Path source = ExamplePipeline.CONFIG.getParent();
    for (String name : List.of("groupings/daily.conf", "groupings/two-stage.conf")) {
      Files.copy(source.resolve(name), conf.resolve(name));
    }
    String text = Files.readString(source.resolve("payments.conf"));
    assertTrue(text.contains(original), "the example config no longer contains: " + original);
    Files.writeString(conf.resolve("payments.conf"), text.replace(original, replacement));
    return conf.resolve("payments.conf");
  }

  private Cli.Result run(Path config, String... args) {
    String[] all = new String[args.length + 6];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(new String[] {"--config", config.toString(), "--set", "pipeline.storage_root=" + dir.resolve("data"),
        "--run-date", DAY}, 0, all, args.length, 6);
    return Cli.withSession(spark).run(all);
  }

  private long generate(Path config) {
    Cli.Result result = Cli.withSession(spark).run("generate", "--config", config.toString(), "--set",
        "pipeline.storage_root=" + dir.resolve("data"), "--run-date", DAY, "--events", "150");
    assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
    Matcher malformed = Pattern.compile("malformed=(\\d+)").matcher(result.out());
    assertTrue(malformed.find(), result.toString());
    return Long.parseLong(malformed.group(1));
  }

  @Test
  void droppedRowsAreCountedAndQuarantined() throws IOException {
    Path config = configWith("known_kinds { accepted_values { column = kind, values = [CHARGE, REFUND, PAYOUT] } }",
        "known_kinds { accepted_values { column = kind, values = [CHARGE, REFUND] }, action = drop,\n"
            + "        quarantine { format = parquet, path = ${pipeline.storage_root}\"/quarantine/payouts/{run_date}\" } }");
    generate(config);
    Cli.Result result = run(config, "run", "--all", "--grouping", "single");
    assertEquals(ExitCodes.OK, result.exitCode(), result.toString());

    List<Row> quarantined = spark.read().parquet(dir.resolve("data/quarantine/payouts/" + DAY).toString()).collectAsList();
    assertFalse(quarantined.isEmpty(), "the generator always writes payouts");
    assertTrue(quarantined.stream().allMatch(r -> "PAYOUT".equals(r.getAs("kind")) && "known_kinds".equals(r.getAs("expectation"))));
    assertTrue(result.out().contains("expectation 'known_kinds' on 'payments_with_fees'") 
        && result.out().contains(quarantined.size() + " rows broke it"), result.toString());
    long paidOut = spark.read().parquet(dir.resolve("data/reports/host_payouts/run_date=" + DAY).toString())
        .where("payouts > 0").count();
    assertEquals(0, paidOut, "no payout reaches the reports once dropped");
  }

  @Test
  void aRowCountOutOfBoundsFailsTheTaskAndPublishesNothing() throws IOException {
    Path config = configWith("sides { accepted_values { column = side, values = [DEBIT, CREDIT] } }",
        "sides { accepted_values { column = side, values = [DEBIT, CREDIT] } }\n      tiny { row_count { max = 10 } }");
    generate(config);
    Cli.Result result = run(config, "run", "--all", "--grouping", "single");
    assertEquals(ExitCodes.RUN_FAILED, result.exitCode(), result.toString());
    assertTrue(result.err().contains("expectation 'tiny' on 'ledger_entries'"), result.toString());
    assertFalse(Files.exists(dir.resolve("data/ledger/ledger_entries/run_date=" + DAY)), "a failed task publishes nothing");
    try (var files = Files.walk(dir.resolve("data"))) {
      List<Path> published = files.filter(Files::isRegularFile)
          .filter(p -> !p.startsWith(dir.resolve("data/raw")))
          .filter(p -> !p.startsWith(dir.resolve("data/_reports")))
          // Hidden staging folders of complete datasets stay for `run --resume`: readers skip them.
          .filter(p -> java.util.stream.Stream.of(dir.resolve("data").relativize(p).toString().split("/"))
                  .noneMatch(segment -> segment.startsWith(".")))
          .toList();
      assertEquals(List.of(), published, "a failed task publishes nothing");
    }
    try (var files = Files.list(dir.resolve("data/ledger/ledger_entries"))) {
      assertEquals(List.of(), files.toList(), "data that broke a fail rule is not kept for a resumed run");
    }
  }

  @Test
  void aRowBreakingAFailRuleFailsTheStepThatProducedIt() throws IOException {
    Path config = configWith("no_negative_amounts { sql = \"amount_usd >= 0\" }",
        "no_small_amounts { sql = \"amount_usd >= 1000000\" }");
    generate(config);
    Cli.Result result = run(config, "run", "--all", "--grouping", "single");
    assertEquals(ExitCodes.RUN_FAILED, result.exitCode(), result.toString());
    assertTrue(result.err().contains("expectation 'no_small_amounts' on dataset 'ledger_entries' failed"), result.toString());
  }

  @Test
  void aSourceThatDriftsFailsNamingTheColumnAndTypes() throws IOException {
    Path config = configWith(
        "format = csv\n    path = ${pipeline.storage_root}\"/raw/fx_rates/run_date={run_date}\"",
        "format = parquet\n    path = ${pipeline.storage_root}\"/raw/fx_parquet/run_date={run_date}\"");
    generate(config);
    spark.sql("SELECT 'EUR' AS currency, '1.08' AS rate_to_usd, 1 AS extra")
        .write().mode("overwrite").parquet(dir.resolve("data/raw/fx_parquet/run_date=" + DAY).toString());
    Cli.Result result = run(config, "run", "--task", "ingest", "--grouping", "daily");
    assertEquals(ExitCodes.RUN_FAILED, result.exitCode(), result.toString());
    assertTrue(result.err().contains("dataset 'fx_rates' (read from ")
        && result.err().contains("column 'rate_to_usd' is string, expected decimal(18,8)"), result.toString());
  }

  @Test
  void theMalformedCountWrittenEqualsWhatWasInjected() throws IOException {
    Path config = configWith("default_grouping = daily", "default_grouping = daily");
    long injected = generate(config);
    assertTrue(injected > 0);
    Cli.Result result = run(config, "run", "--task", "ingest", "--grouping", "daily");
    assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
    long written = spark.read().parquet(dir.resolve("data/quarantine/malformed_payment_events/run_date=" + DAY).toString())
        .count();
    assertEquals(injected, written);
    assertTrue(result.out().contains(String.format("wrote %-28s %10s rows", "malformed_payment_events", injected)),
        result.toString());
  }
}
