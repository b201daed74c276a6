package dev.stepwise.bench;

import static dev.stepwise.testing.DatasetAssertions.assertDatasetEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stepwise.examples.payments.PaymentsSampleData;
import dev.stepwise.testing.DatasetComparison;
import dev.stepwise.testing.PipelineHarness;
import dev.stepwise.testing.SparkTest;
import dev.stepwise.testing.TestDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The monolith is only a fair floor if it computes what the pipeline computes: on the same
 * generated sources it must publish exactly the datasets the {@code single} grouping publishes, in
 * the same places, with the same rows and types.
 */
@SparkTest
class PaymentsMonolithTest {
  private static final Path CONFIG = Path.of("..", "conf", "payments.conf");
  private static final LocalDate RUN_DATE = LocalDate.of(2026, 11, 21);

  @Test
  void writesWhatTheSingleGroupingPublishes(SparkSession spark, @TestDir Path dir) throws IOException {
    PipelineHarness pipeline = harness(spark, dir.resolve("single"));
    PipelineHarness monolith = harness(spark, dir.resolve("monolith"));
    for (PipelineHarness root : List.of(pipeline, monolith)) {
      // Same seed, same files: both roots read identical sources.
      PaymentsSampleData.write(RUN_DATE, 150, 7, root.directory("raw_payment_events"), root.directory("fx_rates"),
          root.directory("bookings"));
    }

    List<String> published = pipeline.run("single").plan().tasks().get(0).writes().stream()
        .map(w -> w.dataset()).toList();
    PaymentsMonolith.run(spark, monolith.storageRoot(), RUN_DATE);

    assertEquals(publishedFolders(pipeline.storageRoot()), publishedFolders(monolith.storageRoot()),
        "the monolith must publish the same folders as the single grouping");
    for (String dataset : published) {
      // Read as the pipeline reads them (format and options from the config), from either root.
      assertDatasetEquals(pipeline.read(dataset), monolith.read(dataset),
          DatasetComparison.DEFAULT.ignoringNullability(), dataset);
    }
    assertEquals(8, published.size(), "the single grouping's outputs changed: " + published);
  }

  private static PipelineHarness harness(SparkSession spark, Path root) {
    return PipelineHarness.builder(spark, CONFIG).storageRoot(root).runDate(RUN_DATE).build();
  }

  /** Folders holding Spark's _SUCCESS marker, outside the sources and the run reports. */
  private static Set<String> publishedFolders(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(p -> p.getFileName().toString().equals("_SUCCESS"))
          .map(p -> root.relativize(p.getParent()).toString())
          .filter(p -> !p.startsWith("raw/") && !p.startsWith("_reports/") && !p.contains("/."))
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }
}
