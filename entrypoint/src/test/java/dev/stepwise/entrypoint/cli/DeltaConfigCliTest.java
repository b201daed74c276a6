package dev.stepwise.entrypoint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Delta variant of the example (conf/payments-delta.conf) validates, and each Delta mistake the
 * config alone shows exits 2 before any SparkSession, naming the file and line of the key: a corpus
 * of overrides appended to a copy of the variant.
 */
class DeltaConfigCliTest {
  private static final Path CONF = Path.of("..", "conf");
  @TempDir Path dir;
  private final Cli cli = Cli.withoutSpark();

  @Test
  void theDeltaVariantValidatesUnderEveryGrouping() throws IOException {
    Path config = copy("");
    for (String grouping : List.of("daily", "two-stage", "per-step", "single")) {
      Cli.Result result = cli.run("validate", "--config", config.toString(), "--grouping", grouping);
      assertEquals(ExitCodes.OK, result.exitCode(), grouping + ": " + result);
    }
  }

  @Test
  void everyDeltaMistakeExitsTwoWithFileAndLine() throws IOException {
    Map<String, String> mistakes = new LinkedHashMap<>();
    mistakes.put("datasets.ledger_entries.run_date_column = entry_day", "not a partition column");
    mistakes.put("datasets.ledger_entries.partition_by = [market]", "not a partition column");
    mistakes.put("datasets.market_revenue.options.replaceWhere = \"market = 'paris'\"", "Stepwise chooses replaceWhere");
    mistakes.put("datasets.host_payouts.options.partitionOverwriteMode = dynamic", "Stepwise chooses partitionOverwriteMode");
    mistakes.put("datasets.host_payouts.format = parquet", "for format delta only");
    mistakes.put("datasets.ledger_entries.path = ${pipeline.storage_root}\"/delta/ledger/run_date={run_date}\"",
        "already holds {run_date}");
    mistakes.put("datasets.ledger_entries.run_date_column = entry_date\ndatasets.ledger_entries.partition_by = [entry_date]",
        "also a column of the schema");
    mistakes.put("datasets.ledger_entries.partition_by = [run_date, region]", "'region' is not a column of the schema");
    mistakes.put("pipeline.intermediate.run_date_column = day", "not a partition column");
    mistakes.put("datasets.booking_reconciliation.format = delt", "delta");
    for (Map.Entry<String, String> mistake : mistakes.entrySet()) {
      Path config = copy(mistake.getKey());
      Cli.Result result = cli.run("validate", "--config", config.toString());
      assertEquals(ExitCodes.USAGE, result.exitCode(), mistake.getKey() + ": " + result);
      assertTrue(result.err().contains(mistake.getValue()), mistake.getKey() + ": " + result);
      assertTrue(result.err().matches("(?s).*payments-delta\\.conf:\\d+.*"), "file:line for " + mistake.getKey()
          + ": " + result);
      assertTrue(!result.err().contains("\tat "), "no stack trace: " + result);
    }
  }

  /** conf/ copied into the temp dir, with {@code override} appended to payments-delta.conf. */
  private Path copy(String override) throws IOException {
    Path target = Files.createDirectories(dir.resolve("conf-" + Integer.toHexString(override.hashCode())));
    Files.createDirectories(target.resolve("groupings"));
    for (String name : List.of("payments.conf", "payments-delta.conf", "groupings/daily.conf", "groupings/two-stage.conf")) {
      Files.writeString(target.resolve(name), Files.readString(CONF.resolve(name)));
    }
    Files.writeString(target.resolve("payments-delta.conf"), Files.readString(CONF.resolve("payments-delta.conf"))
        + "\n" + override + "\n");
    return target.resolve("payments-delta.conf");
  }
}
