package dev.stepwise.entrypoint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad configs exit 2 before Spark starts, naming the file and line of the offending key. Each case
 * edits one line of the real example config and expects that line in the message.
 */
class ConfigValidationTest {
  private static final Path CONF = Path.of("..", "conf").toAbsolutePath().normalize();

  @TempDir Path dir;

  private final Cli cli = Cli.withoutSpark();

  /** Copies conf/ into the temp dir with one edit to payments.conf; returns the config path. */
  private Path pipelineWith(String original, String replacement) throws IOException {
    return copyWith("payments.conf", original, replacement);
  }

  private Path copyWith(String file, String original, String replacement) throws IOException {
    Path target = dir.resolve("conf");
    Files.createDirectories(target.resolve("groupings"));
    for (String name : List.of("payments.conf", "groupings/daily.conf", "groupings/two-stage.conf")) {
      String text = Files.readString(CONF.resolve(name));
      if (name.equals(file)) {
        assertTrue(text.contains(original), "the example config no longer contains: " + original);
        text = text.replaceFirst(java.util.regex.Pattern.quote(original),
            java.util.regex.Matcher.quoteReplacement(replacement));
      }
      Files.writeString(target.resolve(name), text);
    }
    return target.resolve("payments.conf");
  }

  /** The 1-based line where {@code text} (possibly several lines) starts in {@code file}. */
  private static int lineOf(Path file, String text) throws IOException {
    String content = Files.readString(file);
    int at = content.indexOf(text);
    if (at < 0) {
      throw new AssertionError("no text " + text + " in " + file);
    }
    return (int) content.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
  }

  private Cli.Result assertInvalidUnder(Path config, String grouping, String markerFile, String marker, String... expected)
      throws IOException {
    List<String> args = new ArrayList<>(List.of("validate", "--config", config.toString()));
    if (grouping != null) {
      args.addAll(List.of("--grouping", grouping));
    }
    Cli.Result result = cli.run(args.toArray(String[]::new));
    assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
    Path where = config.getParent().resolve(markerFile);
    String location = where + ":" + lineOf(where, marker);
    assertTrue(result.err().contains(location), "expected " + location + " in:\n" + result);
    for (String text : expected) {
      assertTrue(result.err().contains(text), "expected '" + text + "' in:\n" + result);
    }
    assertTrue(!result.err().contains("\tat "), "no stack trace without --verbose:\n" + result);
    return result;
  }

  private Cli.Result assertInvalid(Path config, String marker, String... expected) throws IOException {
    return assertInvalidUnder(config, null, "payments.conf", marker, expected);
  }

  @Test
  void theExampleConfigAndItsGroupingsAreValid() {
    for (String grouping : List.of("daily", "two-stage", "per-step", "single")) {
      Cli.Result result = cli.run("validate", "--config", CONF.resolve("payments.conf").toString(),
          "--grouping", grouping);
      assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
    }
  }

  @Test
  void misspelledDatasetInAStepInput() throws IOException {
    String bad = "inputs { payments = unique_payment, rates = fx_rates }";
    Path config = pipelineWith("inputs { payments = unique_payments, rates = fx_rates }", bad);
    assertInvalid(config, bad, "unknown dataset 'unique_payment'", "did you mean 'unique_payments'?");
  }

  @Test
  void unknownStepType() throws IOException {
    String bad = "type = dedupe_payments";
    Path config = pipelineWith("type = deduplicate_payments", bad);
    assertInvalid(config, bad, "unknown step type 'dedupe_payments'", "deduplicate_payments");
  }

  @Test
  void misspelledDatasetKey() throws IOException {
    String bad = "fromat = parquet";
    Path config = pipelineWith("market_revenue {\n    format = parquet", "market_revenue {\n    " + bad);
    assertInvalid(config, bad, "unknown key", "did you mean 'format'?");
  }

  @Test
  void checkpointThatIsNotABoolean() throws IOException {
    String bad = "checkpoint = sometimes";
    Path config = pipelineWith("ledger_entries/run_date={run_date}\"\n    checkpoint = true",
        "ledger_entries/run_date={run_date}\"\n    " + bad);
    assertInvalid(config, bad, "expected true or false");
  }

  @Test
  void unknownStorageFormat() throws IOException {
    String bad = "format = parquett";
    Path config = pipelineWith("host_payouts {\n    format = parquet", "host_payouts {\n    " + bad);
    assertInvalid(config, bad, "'parquett' is not one of", "did you mean 'parquet'?");
  }

  @Test
  void fileStorageWithoutPath() throws IOException {
    String bad = "booking_reconciliation { format = parquet }";
    Path config = pipelineWith("booking_reconciliation {\n    format = parquet\n    path = ${pipeline.storage_root}"
        + "\"/reports/booking_reconciliation/run_date={run_date}\"\n  }", bad);
    assertInvalid(config, bad, "missing required key 'path'");
  }

  @Test
  void stepWithoutType() throws IOException {
    Path config = pipelineWith("classify {\n    type = classify_payments\n", "classify {\n");
    assertInvalid(config, "classify {", "missing required key 'type'");
  }

  @Test
  void unknownInputRole() throws IOException {
    String bad = "inputs { paymnts = payments_with_fees }";
    Path config = pipelineWith("type = compute_host_payouts\n    inputs { payments = payments_with_fees }",
        "type = compute_host_payouts\n    " + bad);
    assertInvalid(config, bad, "unknown key", "did you mean 'payments'?");
  }

  @Test
  void unknownParameter() throws IOException {
    String bad = "params { late_afer = 6h }";
    Path config = pipelineWith("params { late_after = 6h }", bad);
    assertInvalid(config, bad, "steps.deduplicate.params.late_afer", "unknown parameter", "did you mean 'late_after'?");
  }

  @Test
  void parameterOfTheWrongType() throws IOException {
    String bad = "params { late_after = soon }";
    Path config = pipelineWith("params { late_after = 6h }", bad);
    assertInvalid(config, bad, "expected a duration");
  }

  @Test
  void decimalParameterThatIsNotANumber() throws IOException {
    String bad = "host_fee_rate = three_percent";
    Path config = pipelineWith("host_fee_rate = 0.03", bad);
    assertInvalid(config, bad, "steps.compute_fees.params.host_fee_rate", "expected a decimal number");
  }

  @Test
  void twoStepsProducingOneDataset() throws IOException {
    String bad = "outputs { payouts = market_revenue }";
    Path config = pipelineWith("outputs { payouts = host_payouts }", bad);
    assertInvalid(config, "host_payouts {\n    type = compute_host_payouts",
        "dataset 'market_revenue' is already produced by step 'revenue_by_market'");
  }

  @Test
  void stepsThatFormACycle() throws IOException {
    // classify now reads what compute_fees writes, and compute_fees reads what classify writes.
    Path config = pipelineWith("inputs { payments = enriched_payments }", "inputs { payments = payments_with_fees }");
    Cli.Result result = assertInvalid(config, "classify {", "the steps form a cycle");
    assertTrue(result.err().contains("classify -> compute_fees -> classify")
        || result.err().contains("compute_fees -> classify -> compute_fees"), result.toString());
  }

  @Test
  void hoconSyntaxError() throws IOException {
    String bad = "inputs { raw = raw_payment_events ";
    Path config = pipelineWith("inputs { raw = raw_payment_events }", bad);
    Cli.Result result = cli.run("validate", "--config", config.toString());
    assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
    assertTrue(result.err().contains(config + ":"), result.toString());
  }

  @Test
  void substitutionOfAnUndefinedKey() throws IOException {
    String bad = "path = ${pipeline.storage_rot}\"/reports/market_revenue/run_date={run_date}\"";
    Path config = pipelineWith("path = ${pipeline.storage_root}\"/reports/market_revenue/run_date={run_date}\"", bad);
    assertInvalid(config, bad, "pipeline.storage_rot");
  }

  @Test
  void unboundInputRole() throws IOException {
    String bad = "inputs { payments = payments_with_fees }";
    Path config = pipelineWith("inputs { payments = payments_with_fees, bookings = bookings }", bad);
    assertInvalid(config, bad + "\n    outputs { reconciliation", "role 'bookings' is not bound to a dataset");
  }

  @Test
  void datasetReadButNeverProducedNorStored() throws IOException {
    Path config = pipelineWith("inputs { payments = classified_payments }", "inputs { payments = orphan_payments }");
    Files.writeString(config, Files.readString(config).replace("  payment_events {}", "  payment_events {}\n  orphan_payments {}"));
    assertInvalid(config, "orphan_payments {}", "no step produces it");
  }

  @Test
  void groupingWithAnUnknownStep() throws IOException {
    String bad = "steps = [summarize_rejection]";
    Path config = copyWith("groupings/daily.conf", "steps = [summarize_rejections]", bad);
    assertInvalidUnder(config, "daily", "groupings/daily.conf", bad, "unknown step 'summarize_rejection'",
        "did you mean 'summarize_rejections'?");
  }

  @Test
  void groupingWithAStepInTwoTasks() throws IOException {
    String bad = "steps = [summarize_rejections, reconcile]";
    Path config = copyWith("groupings/daily.conf", "steps = [summarize_rejections]", bad);
    assertInvalidUnder(config, "daily", "groupings/daily.conf", bad, "step 'reconcile' is already in task 'reporting'");
  }

  @Test
  void groupingThatLeavesOutAStep() throws IOException {
    Path config = copyWith("groupings/daily.conf", "steps = [revenue_by_market, host_payouts, reconcile]",
        "steps = [revenue_by_market, host_payouts]");
    assertInvalidUnder(config, "daily", "groupings/daily.conf", "tasks {", "steps in no task: reconcile");
  }

  @Test
  void groupingThatMakesTheTaskGraphCyclic() throws IOException {
    // check_ledger moves to ingest: ingest needs ledger_entries from ledger, ledger needs classified_payments.
    Path config = copyWith("groupings/daily.conf",
        "steps = [parse_events, deduplicate, normalize_currencies, enrich_with_bookings, classify]",
        "steps = [parse_events, deduplicate, normalize_currencies, enrich_with_bookings, classify, check_ledger]");
    Files.writeString(config.getParent().resolve("groupings/daily.conf"),
        Files.readString(config.getParent().resolve("groupings/daily.conf"))
            .replace("steps = [compute_fees, post_ledger, check_ledger]", "steps = [compute_fees, post_ledger]"));
    Cli.Result result = assertInvalidUnder(config, "daily", "groupings/daily.conf", "ingest {", "task graph cyclic");
    assertTrue(result.err().contains("ingest -(classified_payments)-> ledger -(ledger_entries)-> ingest")
        || result.err().contains("ledger -(ledger_entries)-> ingest -(classified_payments)-> ledger"), result.toString());
  }

  @Test
  void unknownGroupingName() throws IOException {
    Path config = pipelineWith("default_grouping = daily", "default_grouping = daily");
    Cli.Result result = cli.run("validate", "--config", config.toString(), "--grouping", "dialy");
    assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
    assertTrue(result.err().contains("no grouping named 'dialy'"), result.toString());
  }

  @Test
  void everyProblemIsReportedAtOnce() throws IOException {
    Path config = pipelineWith("params { late_after = 6h }", "params { late_after = soon }");
    Files.writeString(config, Files.readString(config).replace("type = classify_payments", "type = classify_paymentz"));
    Cli.Result result = assertInvalid(config, "late_after = soon", "expected a duration");
    assertTrue(result.err().contains(config + ":" + lineOf(config, "type = classify_paymentz")), result.toString());
    assertTrue(result.err().contains("2 config problems"), result.toString());
  }

  @Test
  void runWithABadConfigExitsTwoBeforeSparkStarts() throws IOException {
    String bad = "inputs { payments = unique_payment, rates = fx_rates }";
    Path config = pipelineWith("inputs { payments = unique_payments, rates = fx_rates }", bad);
    Cli.Result result = cli.run("run", "--task", "ingest", "--config", config.toString(), "--run-date", "2026-11-21");
    assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
    assertTrue(result.err().contains(config + ":" + lineOf(config, bad)), result.toString());
  }

  @Test
  void runOfAnUnknownTaskIsAUsageError() {
    Cli.Result result = cli.run("run", "--task", "ingets", "--config", CONF.resolve("payments.conf").toString(),
        "--grouping", "daily", "--run-date", "2026-11-21");
    assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
    assertTrue(result.err().contains("no task 'ingets'") && result.err().contains("did you mean 'ingest'?"),
        result.toString());
  }

  @Test
  void badCommandLineIsAUsageError() {
    Cli.Result result = cli.run("run", "--config", CONF.resolve("payments.conf").toString());
    assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
  }

  @Test
  void missingConfigFile() {
    Cli.Result result = cli.run("validate", "--config", dir.resolve("nope.conf").toString());
    assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
    assertTrue(result.err().contains("nope.conf"), result.toString());
  }

  // Values that parse but could never work: each generated case must be exit 2 at its own line.

  @Test
  void negativeRetriesAndRetryDelays() throws IOException {
    for (String bad : List.of("retries = -5", "retries = -1")) {
      assertInvalid(pipelineWith("retries = 2", bad), bad, "retries cannot be negative");
    }
    for (String bad : List.of("retry_delay = -10m", "retry_delay = -1s", "retry_delay = -2h")) {
      assertInvalid(pipelineWith("retry_delay = 10m", bad), bad, "a retry delay cannot be negative");
    }
  }

  @Test
  void rowCountBoundsThatNoCountCanMeet() throws IOException {
    String bad = "row_count { min = 10, max = 1 }";
    assertInvalid(pipelineWith("row_count { min = 1 }", bad), bad, "max = 1 is below min = 10");
    for (String negative : List.of("row_count { min = -1 }", "row_count { max = -3 }")) {
      assertInvalid(pipelineWith("row_count { min = 1 }", negative), negative, "a row count cannot be negative");
    }
  }

  @Test
  void pipelineNamesThatAreNotNames() throws IOException {
    for (String name : List.of("\"\"", "\"../../x\"", "\"a/b\"", "\"..\"", "\"/etc\"", "\" \"", "\"-x\"")) {
      String bad = "name = " + name;
      Cli.Result result = assertInvalid(pipelineWith("name = payments", bad), bad, "is not a valid name");
      assertTrue(result.err().contains("pipeline name"), result.toString());
    }
  }

  @Test
  void datasetAndStepNamesThatAreNotNames() throws IOException {
    for (String name : List.of("\"../evil\"", "\"a/b\"", "\"../../etc\"", "\"..\"", "\"x y\"")) {
      String bad = name + " { format = parquet, path = \"/tmp/stepwise-never-written\" }";
      Path config = pipelineWith("  unique_payments {}", "  unique_payments {}\n  " + bad);
      assertInvalid(config, bad, "dataset '" + name.replace("\"", "") + "' is not a valid name");
    }
    String badStep = "\"../step\" {";
    Path config = pipelineWith("  classify {", "  " + badStep);
    assertInvalid(config, badStep, "step '../step' is not a valid name");
  }

  @Test
  void sqlExpectationOnAColumnTheSchemaLacks() throws IOException {
    String bad = "no_negative_amounts { sql = \"amount_usdd >= 0\" }";
    assertInvalid(pipelineWith("no_negative_amounts { sql = \"amount_usd >= 0\" }", bad), bad,
        "column 'amount_usdd'", "did you mean 'amount_usd'?");
    // Lambda variables and functions are not columns; known columns in any case pass.
    String fine = "no_negative_amounts { sql = \"AMOUNT_USD >= 0 AND exists(array(1, 2), x -> x > 0)\" }";
    Path ok = pipelineWith("no_negative_amounts { sql = \"amount_usd >= 0\" }", fine);
    assertEquals(ExitCodes.OK, cli.run("validate", "--config", ok.toString()).exitCode());
  }

  @Test
  void unparsableSqlAndSchemaSayWhy() throws IOException {
    String badSql = "no_negative_amounts { sql = \"amount_usd >= \" }";
    Cli.Result sql = assertInvalid(pipelineWith("no_negative_amounts { sql = \"amount_usd >= 0\" }", badSql), badSql,
        "not a Spark SQL expression: ");
    assertTrue(sql.err().matches("(?s).*not a Spark SQL expression: \\S.*"), sql.toString());
    String badSchema = "schema = \"currency STRING, rate_to_usd DECIMAL(18,8\"";
    Cli.Result schema = assertInvalid(pipelineWith("schema = \"currency STRING, rate_to_usd DECIMAL(18,8)\"",
        badSchema), badSchema, "not a valid schema (");
    assertTrue(!schema.err().contains("not a valid schema ()"), schema.toString());
  }

  @Test
  void missingRequiredIncludeNamesItsLine() throws IOException {
    String bad = "include required(file(\"secrets-not-there.conf\"))";
    Cli.Result result = assertInvalid(pipelineWith("pipeline {", bad + "\npipeline {"), bad,
        "secrets-not-there.conf", "does not exist");
    assertTrue(!result.err().contains("Exception"), result.toString());
  }

  @Test
  void sparkSettingsAreCheckedAgainstSparksOwnEntries() throws IOException {
    String typo = "sql.shufle.partitions = 32";
    assertInvalidUnder(copyWith("groupings/daily.conf", "sql.shuffle.partitions = 32", typo), "daily",
        "groupings/daily.conf", typo, "unknown Spark setting spark.sql.shufle.partitions",
        "did you mean 'spark.sql.shuffle.partitions'?");
    String owned = "sql.made.up.setting = 1";
    assertInvalidUnder(copyWith("groupings/daily.conf", "sql.shuffle.partitions = 32", owned), "daily",
        "groupings/daily.conf", owned, "unknown Spark setting spark.sql.made.up.setting");
    for (String[] badValue : List.of(new String[] {"executor.memory = 2g", "executor.memory = lots"},
        new String[] {"executor.cores = 2", "executor.cores = two"},
        new String[] {"sql.shuffle.partitions = 32", "sql.shuffle.partitions = 0"},
        new String[] {"executor.instances = 8", "executor.instances = many"},
        new String[] {"executor.instances = 8", "executor.instances = -1"},
        new String[] {"executor.cores = 2", "executor.cores = 0"},
        new String[] {"executor.cores = 2", "executor.cores = -4"})) {
      assertInvalidUnder(copyWith("groupings/daily.conf", badValue[0], badValue[1]), "daily", "groupings/daily.conf",
          badValue[1], "is not a valid value for spark." + badValue[1].substring(0, badValue[1].indexOf(' ')));
    }
    // Settings of Hadoop, cluster managers and other libraries are not Spark's to judge.
    String other = "sql.shuffle.partitions = 32\n      hadoop.fs.s3a.endpoint = \"http://127.0.0.1:9000\"\n"
        + "      kubernetes.namespace = etl\n      sql.catalog.lake = org.example.Catalog";
    Path config = copyWith("groupings/daily.conf", "sql.shuffle.partitions = 32", other);
    Cli.Result result = cli.run("validate", "--config", config.toString(), "--grouping", "daily");
    assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
  }

  @Test
  void aSecretValueNeverShowsInAProblem() throws IOException {
    String bad = "hadoop.fs.s3a.secret.key { nested = \"hunter2\" }\n      ssl.keyStorePassword = [\"hunter3\"]";
    Path config = copyWith("groupings/daily.conf", "sql.shuffle.partitions = 32", "sql.shuffle.partitions = 32\n      "
        + bad);
    Cli.Result result = cli.run("validate", "--config", config.toString(), "--grouping", "daily");
    assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
    assertTrue(!result.err().contains("hunter3"), result.toString());
  }

  /**
   * {@code --set} types its value as HOCON would in the file: every leaf of the example config set
   * to its own value (as a person would type it) still validates, numbers and booleans included.
   */
  @Test
  void setValuesAreTypedLikeHoconForEveryKey() {
    com.typesafe.config.Config example = com.typesafe.config.ConfigFactory
        .parseFile(CONF.resolve("payments.conf").toFile()).resolve();
    int tried = 0;
    for (java.util.Map.Entry<String, com.typesafe.config.ConfigValue> leaf : example.entrySet()) {
      com.typesafe.config.ConfigValue value = leaf.getValue();
      String typed = value.valueType() == com.typesafe.config.ConfigValueType.LIST
          ? value.render(com.typesafe.config.ConfigRenderOptions.concise())
          : String.valueOf(value.unwrapped());
      Cli.Result result = cli.run("validate", "--config", CONF.resolve("payments.conf").toString(),
          "--set", leaf.getKey() + "=" + typed);
      assertEquals(ExitCodes.OK, result.exitCode(), "--set " + leaf.getKey() + "=" + typed + "\n" + result);
      tried++;
    }
    assertTrue(tried >= 40, "only " + tried + " keys");
    for (String good : List.of("pipeline.airflow.retries=0", "pipeline.airflow.retries=7",
        "datasets.ledger_entries.checkpoint=false", "steps.compute_fees.params.host_fee_rate=0.04",
        "pipeline.airflow.retry_delay=90s", "pipeline.storage_root=s3a://bucket/x")) {
      Cli.Result result = cli.run("validate", "--config", CONF.resolve("payments.conf").toString(), "--set", good);
      assertEquals(ExitCodes.OK, result.exitCode(), good + "\n" + result);
    }
    for (String bad : List.of("pipeline.airflow.retries=two", "pipeline.airflow.retries=-1",
        "datasets.ledger_entries.checkpoint=maybe", "pipeline.airflow.retry_delay=-5m")) {
      Cli.Result result = cli.run("validate", "--config", CONF.resolve("payments.conf").toString(), "--set", bad);
      assertEquals(ExitCodes.USAGE, result.exitCode(), bad + "\n" + result);
      assertTrue(result.err().contains("--set"), result.toString());
    }
  }
}
