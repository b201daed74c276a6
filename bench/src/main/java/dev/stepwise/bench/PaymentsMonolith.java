package dev.stepwise.bench;

import dev.stepwise.core.step.StepInputs;
import dev.stepwise.core.step.StepOutputs;
import dev.stepwise.examples.payments.AggregateRevenueByMarket;
import dev.stepwise.examples.payments.CheckLedgerBalance;
import dev.stepwise.examples.payments.ClassifyPayments;
import dev.stepwise.examples.payments.ComputeFees;
import dev.stepwise.examples.payments.ComputeHostPayouts;
import dev.stepwise.examples.payments.DeduplicatePayments;
import dev.stepwise.examples.payments.EnrichWithBookings;
import dev.stepwise.examples.payments.FeeSchedule;
import dev.stepwise.examples.payments.NormalizeCurrencies;
import dev.stepwise.examples.payments.ParsePaymentEvents;
import dev.stepwise.examples.payments.PostLedgerEntries;
import dev.stepwise.examples.payments.ReconcileBookings;
import dev.stepwise.examples.payments.SummarizeRejectedEvents;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The payments pipeline as a hand-written Spark job: one session, the same step classes called
 * directly, only the datasets the {@code single} grouping publishes written (with
 * {@link SaveMode#Overwrite}, no staging, no locks, no expectations, no run report). It is the
 * floor no orchestration can beat, so bin/bench measures every grouping against it.
 *
 * <p>Paths, formats, options and step parameters are copied from {@code conf/payments.conf} on
 * purpose, as a team without Stepwise would hard-code them; {@code PaymentsMonolithTest} fails
 * when the two drift apart. It keeps datasets used twice as the {@code single} plan does by default
 * (caching by cost): what it writes as parquet and uses again is read back from the written files,
 * what it computes in memory or reads from csv is cached; so the comparison measures orchestration,
 * not a different caching strategy.
 *
 * <pre>
 * java ... dev.stepwise.bench.PaymentsMonolith --root DIR --run-date YYYY-MM-DD [--timings-out FILE]
 * </pre>
 */
public final class PaymentsMonolith {
  static final String FX_RATES_SCHEMA = "currency STRING, rate_to_usd DECIMAL(18,8)";
  static final String BOOKINGS_SCHEMA =
      "booking_id STRING, host_id STRING, market STRING, guest_total DECIMAL(18,2), currency STRING, check_in DATE";
  static final FeeSchedule FEES = new FeeSchedule(new BigDecimal("0.03"), new BigDecimal("0.12"),
      Map.of("tokyo", new BigDecimal("0.05")));
  static final Duration LATE_AFTER = Duration.ofHours(6);

  private final SparkSession spark;
  private final Path root;
  private final String runDate;

  private PaymentsMonolith(SparkSession spark, Path root, LocalDate runDate) {
    this.spark = spark;
    this.root = root.toAbsolutePath().normalize();
    this.runDate = runDate.toString();
  }

  public static void main(String[] args) throws IOException {
    long mainEntered = System.currentTimeMillis();
    Arguments arguments = Arguments.parse(args);
    long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
    long sessionStart = System.nanoTime();
    SparkSession spark = session();
    long workStart = System.nanoTime();
    run(spark, arguments.root(), arguments.runDate());
    long stopStart = System.nanoTime();
    spark.stop();
    long end = System.nanoTime();
    // The same phases a run report has, so bin/bench can set the floor's start-up beside a task's.
    String timings = String.format(Locale.ROOT,
        "{\"jvm_start_to_main_seconds\": %.3f, \"spark_session_start_seconds\": %.3f, \"work_seconds\": %.3f,"
            + " \"spark_session_stop_seconds\": %.3f, \"wall_seconds\": %.3f, %s}%n",
        (mainEntered - jvmStart) / 1000.0, (workStart - sessionStart) / 1e9, (stopStart - workStart) / 1e9,
        (end - stopStart) / 1e9, (System.currentTimeMillis() - jvmStart) / 1000.0, WarmupTotals.jsonMembers());
    System.out.print("payments monolith: " + timings);
    if (arguments.timingsOut() != null) {
      Files.createDirectories(arguments.timingsOut().toAbsolutePath().getParent());
      Files.writeString(arguments.timingsOut(), timings, StandardCharsets.UTF_8);
    }
  }

  /**
   * A session as bin/stepwise builds one: master from -Dspark.master (local[*] if unset), UTC, and,
   * as anyone tuning a job for one machine would, two shuffle partitions per core instead of Spark's
   * cluster-sized 200 unless -Dspark.sql.shuffle.partitions says otherwise.
   */
  static SparkSession session() {
    SparkConf launcher = new SparkConf();
    SparkSession.Builder builder = SparkSession.builder().appName("payments-monolith")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.showConsoleProgress", "false");
    if (!launcher.contains("spark.master")) {
      builder.master("local[*]");
    }
    if (!launcher.contains("spark.sql.shuffle.partitions")) {
      builder.config("spark.sql.shuffle.partitions", 2 * Runtime.getRuntime().availableProcessors());
    }
    SparkSession spark = builder.getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    return spark;
  }

  /** Reads the sources of {@code runDate} under {@code root} and writes the final outputs there. */
  public static void run(SparkSession spark, Path root, LocalDate runDate) {
    new PaymentsMonolith(spark, root, runDate).run();
  }

  private void run() {
    Dataset<Row> raw = spark.read().text(path("raw/payment_events"));
    Dataset<Row> fxRates = csv(path("raw/fx_rates"), FX_RATES_SCHEMA);
    Dataset<Row> bookings = csv(path("raw/bookings"), BOOKINGS_SCHEMA).persist(StorageLevel.MEMORY_AND_DISK());

    StepOutputs parsed = new ParsePaymentEvents().apply(StepInputs.of("raw", raw));
    Dataset<Row> malformed = writtenAndReadBack(parsed.get("malformed"), "quarantine/malformed_payment_events");

    Dataset<Row> unique = new DeduplicatePayments(LATE_AFTER).apply(StepInputs.of("events", parsed.get("events")))
        .get("payments");
    StepOutputs normalized = new NormalizeCurrencies()
        .apply(StepInputs.of("payments", unique, "rates", fxRates));
    Dataset<Row> unconvertible = writtenAndReadBack(normalized.get("unconvertible"), "quarantine/unconvertible_payments");

    Dataset<Row> enriched = new EnrichWithBookings()
        .apply(StepInputs.of("payments", normalized.get("payments"), "bookings", bookings)).get("payments");
    Dataset<Row> classified = new ClassifyPayments().apply(StepInputs.of("payments", enriched)).get("payments");
    Dataset<Row> withFees = new ComputeFees(FEES).apply(StepInputs.of("payments", classified)).get("payments")
        .persist(StorageLevel.MEMORY_AND_DISK());

    Dataset<Row> entries = writtenAndReadBack(
        new PostLedgerEntries().apply(StepInputs.of("payments", withFees)).get("entries"), "ledger/ledger_entries");
    write(new CheckLedgerBalance().apply(StepInputs.of("entries", entries)).get("report"),
        "json", "reports/ledger_balance");
    write(new AggregateRevenueByMarket().apply(StepInputs.of("entries", entries)).get("revenue"),
        "parquet", "reports/market_revenue");

    write(new ComputeHostPayouts().apply(StepInputs.of("payments", withFees)).get("payouts"),
        "parquet", "reports/host_payouts");
    write(new ReconcileBookings().apply(StepInputs.of("payments", withFees, "bookings", bookings))
        .get("reconciliation"), "parquet", "reports/booking_reconciliation");
    withFees.unpersist();
    bookings.unpersist();

    write(new SummarizeRejectedEvents()
        .apply(StepInputs.of("malformed", malformed, "unconvertible", unconvertible)).get("summary"),
        "csv", "reports/rejected_event_summary");
  }

  private Dataset<Row> csv(String path, String schema) {
    return spark.read().option("header", "true").option("mode", "FAILFAST").schema(schema).csv(path);
  }

  /** Writes {@code data} as parquet and reads the written files back, so its lineage runs once. */
  private Dataset<Row> writtenAndReadBack(Dataset<Row> data, String dataset) {
    write(data, "parquet", dataset);
    return spark.read().schema(data.schema()).parquet(path(dataset));
  }

  private void write(Dataset<Row> data, String format, String dataset) {
    var writer = data.write().mode(SaveMode.Overwrite).format(format);
    if (format.equals("csv")) {
      writer = writer.option("header", "true");
    }
    writer.save(path(dataset));
  }

  private String path(String dataset) {
    return root.resolve(dataset).resolve("run_date=" + runDate).toString();
  }

  record Arguments(Path root, LocalDate runDate, Path timingsOut) {
    static Arguments parse(String[] args) {
      Path root = null;
      LocalDate runDate = null;
      Path timingsOut = null;
      for (int i = 0; i < args.length; i++) {
        String value = i + 1 < args.length ? args[i + 1] : null;
        switch (args[i]) {
          case "--root" -> root = Path.of(required(args[i], value));
          case "--run-date" -> runDate = LocalDate.parse(required(args[i], value));
          case "--timings-out" -> timingsOut = Path.of(required(args[i], value));
          default -> throw usage("unknown argument '" + args[i] + "'");
        }
        i++;
      }
      if (root == null || runDate == null) {
        throw usage("--root and --run-date are required");
      }
      return new Arguments(root, runDate, timingsOut);
    }

    private static String required(String option, String value) {
      if (value == null) {
        throw usage(option + " needs a value");
      }
      return value;
    }

    private static IllegalArgumentException usage(String problem) {
      return new IllegalArgumentException("payments monolith: " + problem
          + "; usage: PaymentsMonolith --root DIR --run-date YYYY-MM-DD [--timings-out FILE]");
    }
  }
}
