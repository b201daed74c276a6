import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Compares every published dataset under a reference storage root with the same dataset under a
 * second root, as multisets of rows (so duplicates count).
 *   mode "visible": a dataset present in the second root must be complete and equal (absent is fine)
 *   mode "final":   every dataset must be present and equal
 * Prints one line per dataset and "compared N, missing M, different D"; exits 1 on any difference.
 */
public class CompareOutputs {
  public static void main(String[] args) throws IOException {
    Path reference = Path.of(args[0]);
    Path other = Path.of(args[1]);
    boolean requireAll = args[2].equals("final");
    List<Path> datasets;
    try (Stream<Path> files = Files.walk(reference)) {
      datasets = files.filter(p -> p.getFileName().toString().equals("_SUCCESS"))
          .map(p -> reference.relativize(p.getParent()))
          .filter(p -> !p.startsWith("raw") && !p.toString().contains("/."))
          .sorted().collect(Collectors.toList());
    }
    SparkSession spark = SparkSession.builder().master("local[1]").appName("compare-outputs")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
    spark.sparkContext().setLogLevel("ERROR");
    int compared = 0;
    int missing = 0;
    List<String> different = new ArrayList<>();
    for (Path dataset : datasets) {
      Path candidate = other.resolve(dataset);
      if (!Files.isDirectory(candidate)) {
        missing++;
        if (requireAll) {
          different.add(dataset + ": missing");
        }
        continue;
      }
      if (!Files.exists(candidate.resolve("_SUCCESS"))) {
        different.add(dataset + ": visible without its _SUCCESS marker (partial data)");
        continue;
      }
      compared++;
      List<String> expected = rows(spark, reference.resolve(dataset));
      List<String> actual = rows(spark, candidate);
      if (!expected.equals(actual)) {
        different.add(dataset + ": " + expected.size() + " rows expected, " + actual.size() + " found, contents differ");
      }
    }
    spark.stop();
    different.forEach(d -> System.out.println("DIFFERENT " + d));
    System.out.printf("compared %d, missing %d, different %d%n", compared, missing, different.size());
    System.exit(different.isEmpty() ? 0 : 1);
  }

  private static List<String> rows(SparkSession spark, Path dir) throws IOException {
    String format;
    try (Stream<Path> files = Files.list(dir)) {
      List<String> names = files.map(p -> p.getFileName().toString()).collect(Collectors.toList());
      format = names.stream().anyMatch(n -> n.endsWith(".parquet")) ? "parquet"
          : names.stream().anyMatch(n -> n.endsWith(".json")) ? "json" : "csv";
    }
    return spark.read().format(format).option("header", "true").load(dir.toString()).collectAsList().stream()
        .map(Row::toString).sorted().collect(Collectors.toList());
  }
}
