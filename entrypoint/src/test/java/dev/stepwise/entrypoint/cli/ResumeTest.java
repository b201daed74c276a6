package dev.stepwise.entrypoint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.testing.SparkTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --task T --resume} on the example merged into one task ({@code single}), with
 * {@code payments_with_fees} checkpointed so that the late steps have a persisted ancestor, and
 * payouts set aside into a quarantine by a drop rule on it (staged too, so reused too). The task
 * is made to fail late, in {@code reconcile}, by a rule no row keeps; resuming without that rule
 * must skip the early steps and publish exactly what a clean run publishes.
 */
@SparkTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResumeTest {
  private static final String DAY = ExamplePipeline.RUN_DATE;
  private static final String OTHER_DAY = "2026-11-22";
  private static final String TASK = "payments";
  /** Breaks the task late: every row of booking_reconciliation breaks a fail rule. */
  private static final List<String> FAIL_LATE =
      List.of("--set", "datasets.booking_reconciliation.expectations.never.sql=false");
  /** A different parameter of an early step. */
  private static final List<String> EARLY_CHANGE = List.of("--set", "steps.deduplicate.params.late_after=7h");
  private static final Map<String, String> OUTPUTS = new LinkedHashMap<>();

  static {
    OUTPUTS.put("quarantine/malformed_payment_events", "parquet");
    OUTPUTS.put("quarantine/unconvertible_payments", "parquet");
    OUTPUTS.put("quarantine/kinds", "parquet");
    OUTPUTS.put("work/payments_with_fees", "parquet");
    OUTPUTS.put("ledger/ledger_entries", "parquet");
    OUTPUTS.put("reports/ledger_balance", "json");
    OUTPUTS.put("reports/market_revenue", "parquet");
    OUTPUTS.put("reports/host_payouts", "parquet");
    OUTPUTS.put("reports/booking_reconciliation", "parquet");
    OUTPUTS.put("reports/rejected_event_summary", "csv");
  }

  private static final List<String> EARLY_STEPS = List.of("parse_events", "deduplicate", "normalize_currencies",
      "enrich_with_bookings", "classify", "compute_fees");

  private final SparkSession spark;
  private ExamplePipeline pipeline;
  private Map<String, List<String>> resumedOutputs;
  /** The run whose stagings the resumes below reuse. */
  private String failedRun;

  ResumeTest(SparkSession spark) {
    this.spark = spark;
  }

  /**
   * The example's config with payments_with_fees checkpointed (the late steps read fees from
   * storage) and its payouts dropped into a quarantine.
   */
  @BeforeAll
  void generate(@TempDir Path dir) throws IOException {
    String text = Files.readString(ExamplePipeline.CONFIG);
    Map<String, String> edits = Map.of(
        "  payments_with_fees {\n    expectations {",
        "  payments_with_fees {\n    checkpoint = true\n    expectations {",
        "known_kinds { accepted_values { column = kind, values = [CHARGE, REFUND, PAYOUT] } }",
        "known_kinds { accepted_values { column = kind, values = [CHARGE, REFUND] }, action = drop,\n"
            + "        quarantine { format = parquet, path = ${pipeline.storage_root}\"/quarantine/kinds/run_date={run_date}\" } }");
    for (Map.Entry<String, String> edit : edits.entrySet()) {
      assertTrue(text.contains(edit.getKey()), "the example config no longer contains: " + edit.getKey());
      text = text.replace(edit.getKey(), edit.getValue());
    }
    Path config = dir.resolve("payments.conf");
    Files.writeString(config, text);
    pipeline = new ExamplePipeline(Cli.withSession(spark), dir.resolve("data"), config);
    pipeline.generate(120);
    Cli.Result other = pipeline.command("generate", "--run-date", OTHER_DAY, "--events", "120");
    assertEquals(ExitCodes.OK, other.exitCode(), other.toString());
  }

  @Test
  @Order(1)
  void aTaskThatFailsLateKeepsItsCompleteStagingsAndPublishesNothing() throws IOException {
    Cli.Result failed = run(DAY, false, FAIL_LATE);
    assertEquals(ExitCodes.RUN_FAILED, failed.exitCode(), failed.toString());
    assertTrue(failed.err().contains("step 'reconcile'"), failed.toString());
    List<String> marked = markedDatasets();
    assertTrue(marked.containsAll(List.of("malformed_payment_events", "unconvertible_payments", "payments_with_fees",
        "payments_with_fees.known_kinds", "ledger_entries")), "complete stagings are marked: " + marked);
    assertFalse(marked.contains("booking_reconciliation"), "the failed write is not: " + marked);
    assertEquals(List.of(), publishedFiles(DAY), "a failed task publishes nothing");
  }

  @Test
  @Order(2)
  void aChangedEarlyStepReusesNothing() throws IOException {
    Cli.Result again = run(DAY, true, EARLY_CHANGE, FAIL_LATE);
    assertEquals(ExitCodes.RUN_FAILED, again.exitCode(), again.toString());
    assertFalse(again.out().contains(" reused "), again.toString());
    assertTrue(again.out().contains("> parse_events"), "every step runs again:\n" + again);
    assertEquals(List.of(), publishedFiles(DAY));
    failedRun = report(DAY).path("run_id").asText();
  }

  @Test
  @Order(3)
  void anotherRunDateReusesNothing() throws IOException {
    Cli.Result other = run(OTHER_DAY, true, EARLY_CHANGE);
    assertEquals(ExitCodes.OK, other.exitCode(), other.toString());
    assertFalse(other.out().contains(" reused "), other.toString());
    assertEquals(List.of(), reusedSteps(report(OTHER_DAY)));
    assertTrue(markedDatasets().contains("ledger_entries"), "the failed run of " + DAY + " still waits for a resume");
  }

  @Test
  @Order(4)
  void aResumeThatFailsAgainKeepsWhatItReused() throws IOException {
    Cli.Result again = run(DAY, true, EARLY_CHANGE, FAIL_LATE);
    assertEquals(ExitCodes.RUN_FAILED, again.exitCode(), again.toString());
    assertTrue(again.out().contains("= compute_fees reused payments_with_fees"), again.toString());
    assertTrue(markedDatasets().containsAll(List.of("payments_with_fees", "payments_with_fees.known_kinds",
        "ledger_entries")), "still there for the next resume: " + markedDatasets());
    assertEquals(List.of(), publishedFiles(DAY));
  }

  @Test
  @Order(5)
  void resumingSkipsTheEarlyStepsAndPublishesEverything() throws IOException {
    Cli.Result resumed = run(DAY, true, EARLY_CHANGE);
    assertEquals(ExitCodes.OK, resumed.exitCode(), resumed.toString());
    JsonNode report = report(DAY);
    List<String> reused = reusedSteps(report);
    assertTrue(reused.containsAll(EARLY_STEPS) && reused.contains("post_ledger"),
        "the early steps are skipped: " + reused + "\n" + resumed);
    assertFalse(reused.contains("reconcile"), "the failed step runs");
    assertTrue(report.path("resumed").asBoolean(), "the report says the run resumed");
    for (String step : EARLY_STEPS) {
      assertFalse(resumed.out().contains("> " + step + "\n"), step + " does not run:\n" + resumed);
    }
    assertTrue(resumed.out().contains("> reconcile"), resumed.toString());
    assertTrue(resumed.out().matches("(?s).*= compute_fees reused payments_with_fees \\([0-9,]+ rows\\) from the failed run "
        + failedRun + "\n.*"), resumed.toString());
    JsonNode fees = written(report, "payments_with_fees");
    assertEquals(failedRun, fees.path("reused_from_run").asText());
    assertTrue(written(report, "booking_reconciliation").path("reused_from_run").isNull());
    assertEquals(List.of(), hiddenLeftovers(), "nothing is left in staging once published");
    resumedOutputs = outputs(DAY);

    Cli.Result advise = new ExamplePipeline(Cli.withoutSpark(), pipeline.root(), ExamplePipeline.CONFIG).command(
        "advise", "--metrics", pipeline.root().resolve("_reports/payments/single/" + TASK + "/run_date=" + DAY
            + "/report.json").toString());
    assertEquals(ExitCodes.USAGE, advise.exitCode(), advise.toString());
    assertTrue(advise.err().contains("is the report of a resumed run"), advise.toString());
  }

  @Test
  @Order(6)
  void theResumedOutputsEqualACleanRunsRowForRow() throws IOException {
    Cli.Result clean = run(DAY, false, EARLY_CHANGE);
    assertEquals(ExitCodes.OK, clean.exitCode(), clean.toString());
    Map<String, List<String>> cleanOutputs = outputs(DAY);
    for (String dataset : OUTPUTS.keySet()) {
      assertFalse(cleanOutputs.get(dataset).isEmpty() && !dataset.contains("unconvertible"),
          dataset + " has rows in a clean run");
      assertEquals(cleanOutputs.get(dataset), resumedOutputs.get(dataset), dataset);
    }
  }

  @Test
  @Order(7)
  void resumingWithNothingLeftOverIsANormalRun() throws IOException {
    Map<String, List<String>> before = outputs(DAY);
    Cli.Result resumed = run(DAY, true, EARLY_CHANGE);
    assertEquals(ExitCodes.OK, resumed.exitCode(), resumed.toString());
    assertEquals(List.of(), reusedSteps(report(DAY)));
    assertTrue(resumed.out().contains("> parse_events"), resumed.toString());
    assertEquals(before, outputs(DAY));
  }

  @Test
  void resumeTakesOneTaskOnly() {
    Cli.Result all = new ExamplePipeline(Cli.withoutSpark(), pipeline.root(), ExamplePipeline.CONFIG)
        .command("run", "--all", "--resume", "--grouping", "single", "--run-date", DAY);
    assertEquals(ExitCodes.USAGE, all.exitCode(), all.toString());
    assertTrue(all.err().contains("--resume works with --task only"), all.toString());
  }

  @SafeVarargs
  private Cli.Result run(String day, boolean resume, List<String>... settings) {
    List<String> args = new ArrayList<>(List.of("run", "--task", TASK, "--grouping", "single", "--run-date", day));
    if (resume) {
      args.add("--resume");
    }
    for (List<String> setting : settings) {
      args.addAll(setting);
    }
    return pipeline.command(args.toArray(String[]::new));
  }

  private JsonNode report(String day) throws IOException {
    return new ObjectMapper().readTree(pipeline.root()
        .resolve("_reports/payments/single/" + TASK + "/run_date=" + day + "/report.json").toFile());
  }

  private static List<String> reusedSteps(JsonNode report) {
    List<String> steps = new ArrayList<>();
    report.path("tasks").get(0).path("reused_steps").forEach(s -> steps.add(s.asText()));
    return steps;
  }

  private static JsonNode written(JsonNode report, String dataset) {
    for (JsonNode w : report.path("tasks").get(0).path("written")) {
      if (w.path("dataset").asText().equals(dataset)) {
        return w;
      }
    }
    throw new AssertionError(dataset + " is not in the report's written datasets");
  }

  private Map<String, List<String>> outputs(String day) {
    Map<String, List<String>> rows = new LinkedHashMap<>();
    OUTPUTS.forEach((dataset, format) -> rows.put(dataset,
        ExamplePipeline.rows(spark, pipeline.root().resolve(dataset + "/run_date=" + day), format)));
    return rows;
  }

  /** Datasets whose staging carries a completeness marker, from its {@code dataset=} line. */
  private List<String> markedDatasets() throws IOException {
    try (Stream<Path> files = Files.walk(pipeline.root())) {
      return files.filter(p -> p.getFileName().toString().equals("_stepwise_complete")).map(p -> {
        try {
          return Files.readAllLines(p).stream().filter(l -> l.startsWith("dataset=")).findFirst().orElseThrow()
              .substring("dataset=".length());
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).sorted().toList();
    }
  }

  /** Visible files of the run date outside the sources and reports. */
  private List<Path> publishedFiles(String day) throws IOException {
    try (Stream<Path> files = Files.walk(pipeline.root())) {
      return files.filter(Files::isRegularFile)
          .filter(p -> !p.startsWith(pipeline.root().resolve("raw")) && !p.startsWith(pipeline.root().resolve("_reports")))
          .filter(p -> p.toString().contains("run_date=" + day))
          .filter(p -> Stream.of(pipeline.root().relativize(p).toString().split("/")).noneMatch(s -> s.startsWith(".")))
          .toList();
    }
  }

  private List<Path> hiddenLeftovers() throws IOException {
    try (Stream<Path> files = Files.walk(pipeline.root())) {
      return files.filter(p -> p.getFileName().toString().contains(".stepwise-")).toList();
    }
  }
}
