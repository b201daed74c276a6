package dev.stepwise.entrypoint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.testing.SparkTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What only the data can show fails the run (exit 1) in a few lines naming the file or the
 * expectation and its config line, never with Spark's plan dump or trace: a csv header whose column
 * order differs from the declared schema, a date cut to its year, an expectation on a column the
 * data lacks.
 */
@SparkTest
class StrictSourcesTest {
  private final SparkSession spark;

  StrictSourcesTest(SparkSession spark) {
    this.spark = spark;
  }

  private static void assertReadable(Cli.Result result) {
    assertFalse(result.err().contains("\tat ") || result.err().contains("== Physical Plan")
        || result.err().contains("'Project ["), result.toString());
    assertTrue(result.err().lines().count() <= 12, "more than a few lines:\n" + result);
  }

  @Test
  void csvHeaderInAnotherOrderThanTheSchemaNamesTheFileAndBothLists(@TempDir Path dir) throws IOException {
    ExamplePipeline pipeline = new ExamplePipeline(Cli.withSession(spark), dir.resolve("data"));
    pipeline.generate(30);
    Path rates = dir.resolve("data/raw/fx_rates/run_date=" + ExamplePipeline.RUN_DATE + "/fx_rates.csv");
    List<String> swapped = Files.readAllLines(rates).stream().map(line -> {
      String[] cells = line.split(",", -1);
      return cells[1] + "," + cells[0];
    }).collect(Collectors.toList());
    Files.write(rates, swapped);
    assertEquals(ExitCodes.OK, pipeline.command("validate").exitCode());
    Cli.Result result = pipeline.command("run", "--task", "ingest", "--grouping", "daily", "--run-date",
        ExamplePipeline.RUN_DATE);
    assertEquals(ExitCodes.RUN_FAILED, result.exitCode(), result.toString());
    assertTrue(result.err().contains("fx_rates.csv"), result.toString());
    assertTrue(result.err().contains("rate_to_usd, currency") && result.err().contains("currency, rate_to_usd"),
        "both column lists:\n" + result);
    assertReadable(result);
  }

  @Test
  void aDateCutToItsYearFailsInsteadOfReadingAsTheFirstOfJanuary(@TempDir Path dir) throws IOException {
    ExamplePipeline pipeline = new ExamplePipeline(Cli.withSession(spark), dir.resolve("data"));
    pipeline.generate(30);
    Path bookings = dir.resolve("data/raw/bookings/run_date=" + ExamplePipeline.RUN_DATE + "/bookings.csv");
    List<String> lines = Files.readAllLines(bookings);
    String first = lines.get(1);
    lines.set(1, first.substring(0, first.lastIndexOf(',') + 1) + "2026");
    Files.write(bookings, lines);
    Cli.Result result = pipeline.command("run", "--task", "ingest", "--grouping", "daily", "--run-date",
        ExamplePipeline.RUN_DATE);
    assertEquals(ExitCodes.RUN_FAILED, result.exitCode(), result.toString());
    assertTrue(result.err().contains("bookings"), result.toString());
    assertReadable(result);
  }

  @Test
  void anExpectationOnAColumnTheDataLacksNamesItselfAndItsLine(@TempDir Path dir) throws IOException {
    Path conf = dir.resolve("conf");
    Files.createDirectories(conf.resolve("groupings"));
    Path examples = ExamplePipeline.CONFIG.getParent();
    for (String file : List.of("groupings/daily.conf", "groupings/two-stage.conf")) {
      Files.copy(examples.resolve(file), conf.resolve(file));
    }
    String bad = "airport { not_null = [airport_nme] }";
    String text = Files.readString(examples.resolve("payments.conf"))
        .replace("one_row_per_event { unique = [event_id] }", "one_row_per_event { unique = [event_id] }\n      " + bad);
    Path config = conf.resolve("payments.conf");
    Files.writeString(config, text);
    int line = (int) text.substring(0, text.indexOf(bad)).chars().filter(c -> c == '\n').count() + 1;
    ExamplePipeline pipeline = new ExamplePipeline(Cli.withSession(spark), dir.resolve("data"), config);
    pipeline.generate(30);
    assertEquals(ExitCodes.OK, pipeline.command("validate").exitCode(), "no schema: only the data can tell");
    Cli.Result result = pipeline.command("run", "--all", "--grouping", "single", "--run-date", ExamplePipeline.RUN_DATE);
    assertEquals(ExitCodes.RUN_FAILED, result.exitCode(), result.toString());
    assertTrue(result.err().contains("expectation 'airport'") && result.err().contains(config + ":" + line)
        && result.err().contains("airport_nme"), result.toString());
    assertFalse(result.err().contains("UNRESOLVED_COLUMN"), result.toString());
    assertReadable(result);
  }
}
