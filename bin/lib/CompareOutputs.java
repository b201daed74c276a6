import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Compares the published datasets of pipeline runs under different storage roots, row for row. Run it
 * through bin/lib/compare-outputs, which puts Spark's jars from the Maven build on the class path:
 *
 * <pre>
 *   compare-outputs [--visible] [--only DIR,...] REFERENCE CANDIDATE...
 * </pre>
 *
 * A dataset is a folder holding Spark's _SUCCESS marker, or a Delta table's _delta_log; inputs (raw/)
 * and folders whose name starts with "." or "_" (staging, run reports) are not compared. Each
 * dataset of the reference must be in each candidate, complete, with the same schema and the same
 * multiset of rows (order does not matter, duplicates do). With --visible a dataset may be absent
 * (a run killed midway), but one that is visible must be complete and equal. With --only, only the
 * datasets under those top folders are compared, and there a candidate may hold none the reference
 * lacks; without it, a candidate's extra datasets are ignored (another grouping materializes more
 * intermediates). CSV is read as strings and JSON as its text, so that nothing is inferred away.
 *
 * Prints a line per dataset, the rows that differ (a few of each side), and last a summary line
 * "compared N, missing M, different D"; exits 0 when all is equal, 1 on any difference, 2 on bad usage.
 */
public class CompareOutputs {
  private static final int SHOWN_ROWS = 5;
  private static final String DELTA_EXTENSION = "io.delta.sql.DeltaSparkSessionExtension";

  public static void main(String[] args) throws IOException {
    boolean visibleOnly = false;
    Set<String> only = new TreeSet<>();
    List<Path> roots = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--visible")) {
        visibleOnly = true;
      } else if (args[i].equals("--only") && i + 1 < args.length) {
        only.addAll(List.of(args[++i].split(",")));
      } else if (args[i].startsWith("-")) {
        usage("unknown option " + args[i]);
      } else {
        roots.add(Path.of(args[i]));
      }
    }
    if (roots.size() < 2) {
      usage("a reference root and at least one candidate root are needed");
    }
    for (Path root : roots) {
      if (!Files.isDirectory(root)) {
        usage(root + " is not a folder");
      }
    }
    Path reference = roots.get(0);
    Set<Path> expected = datasets(reference, only);
    if (expected.isEmpty()) {
      System.out.println("DIFFERENT " + reference + ": no published dataset" + (only.isEmpty() ? "" : " under " + only)
          + ": the reference run wrote nothing to compare with");
      System.out.println("compared 0, missing 0, different 1");
      System.exit(1);
    }
    SparkSession spark = session();
    int compared = 0;
    int missing = 0;
    List<String> different = new ArrayList<>();
    for (Path candidate : roots.subList(1, roots.size())) {
      System.out.println("compare-outputs: " + candidate + " against " + reference);
      for (Path dataset : expected) {
        Path actual = candidate.resolve(dataset);
        if (!Files.isDirectory(actual)) {
          missing++;
          if (!visibleOnly) {
            different.add(candidate + ": " + dataset + " is missing");
          }
          continue;
        }
        if (!isDataset(actual)) {
          different.add(candidate + ": " + dataset + " is visible without its _SUCCESS marker or _delta_log (partial data)");
          continue;
        }
        compared++;
        different.addAll(differences(spark, candidate + ": " + dataset, reference.resolve(dataset), actual));
      }
      if (!only.isEmpty()) {
        Set<Path> extra = datasets(candidate, only);
        extra.removeAll(expected);
        extra.forEach(d -> different.add(candidate + ": " + d + " is not in the reference run"));
      }
    }
    spark.stop();
    different.forEach(d -> System.out.println("DIFFERENT " + d));
    System.out.printf("compared %d, missing %d, different %d%n", compared, missing, different.size());
    System.exit(different.isEmpty() ? 0 : 1);
  }

  private static void usage(String problem) {
    System.err.println("compare-outputs: " + problem);
    System.err.println("usage: compare-outputs [--visible] [--only DIR,...] REFERENCE_ROOT CANDIDATE_ROOT...");
    System.exit(2);
  }

  private static SparkSession session() {
    SparkSession.Builder builder = SparkSession.builder().master("local[2]").appName("compare-outputs")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1").config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "4");
    if (deltaOnClassPath()) {
      builder.config("spark.sql.extensions", DELTA_EXTENSION)
          .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
    }
    SparkSession spark = builder.getOrCreate();
    spark.sparkContext().setLogLevel("ERROR");
    return spark;
  }

  private static boolean deltaOnClassPath() {
    try {
      Class.forName(DELTA_EXTENSION);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /** Published datasets under {@code root}, relative to it, e.g. reports/market_revenue/run_date=2026-11-21. */
  private static Set<Path> datasets(Path root, Set<String> only) throws IOException {
    try (Stream<Path> folders = Files.walk(root)) {
      return folders.filter(Files::isDirectory).filter(CompareOutputs::isDataset)
          .map(root::relativize)
          .filter(p -> p.getNameCount() > 0 && !p.getName(0).toString().equals("raw"))
          .filter(p -> only.isEmpty() || only.contains(p.getName(0).toString()))
          .filter(p -> Stream.iterate(0, i -> i < p.getNameCount(), i -> i + 1)
              .map(i -> p.getName(i).toString()).noneMatch(n -> n.startsWith(".") || n.startsWith("_")))
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  private static boolean isDataset(Path folder) {
    return Files.exists(folder.resolve("_SUCCESS")) || Files.isDirectory(folder.resolve("_delta_log"));
  }

  private static List<String> differences(SparkSession spark, String name, Path reference, Path candidate)
      throws IOException {
    Dataset<Row> expected = read(spark, reference);
    Dataset<Row> actual = read(spark, candidate);
    if (!expected.schema().equals(actual.schema())) {
      return List.of(name + ": schema " + actual.schema().simpleString() + " differs from the reference's "
          + expected.schema().simpleString());
    }
    long rows = expected.count();
    Dataset<Row> onlyExpected = expected.exceptAll(actual).cache();
    Dataset<Row> onlyActual = actual.exceptAll(expected).cache();
    long missingRows = onlyExpected.count();
    long extraRows = onlyActual.count();
    if (missingRows == 0 && extraRows == 0) {
      System.out.printf("  same  %s: %,d rows%n", name, rows);
      return List.of();
    }
    StringBuilder text = new StringBuilder(String.format("%s: %,d of %,d reference rows missing, %,d rows not in the"
        + " reference", name, missingRows, rows, extraRows));
    shown(text, "missing", onlyExpected, missingRows);
    shown(text, "not in the reference", onlyActual, extraRows);
    onlyExpected.unpersist();
    onlyActual.unpersist();
    return List.of(text.toString());
  }

  /** A few of the differing rows, in a stable order so that two runs of the comparison print the same. */
  private static void shown(StringBuilder into, String what, Dataset<Row> rows, long count) {
    List<String> sample = rows.collectAsList().stream().map(Row::toString).sorted().limit(SHOWN_ROWS)
        .collect(Collectors.toList());
    for (String row : sample) {
      into.append(String.format("%n    %s %s", what.equals("missing") ? "-" : "+", row));
    }
    if (count > sample.size()) {
      into.append(String.format("%n    %s ... and %,d more %s", what.equals("missing") ? "-" : "+",
          count - sample.size(), what));
    }
  }

  /** A dataset read by what it holds: a Delta log, else the extension of its part files. */
  private static Dataset<Row> read(SparkSession spark, Path dir) throws IOException {
    if (Files.isDirectory(dir.resolve("_delta_log"))) {
      if (!deltaOnClassPath()) {
        throw new IllegalStateException(dir + " is a Delta table, but Delta Lake is not on the class path:"
            + " add delta-spark's jars with STEPWISE_COMPARE_CP=jar1:jar2");
      }
      return spark.read().format("delta").load(dir.toString());
    }
    List<String> parts;
    try (Stream<Path> files = Files.list(dir)) {
      parts = files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("part-")).sorted()
          .collect(Collectors.toList());
    }
    if (parts.isEmpty()) {
      return spark.createDataFrame(List.<Row>of(), new org.apache.spark.sql.types.StructType()
          .add("empty", org.apache.spark.sql.types.DataTypes.StringType));
    }
    String part = parts.get(0);
    if (part.contains(".parquet")) {
      return spark.read().parquet(dir.toString());
    }
    if (part.contains(".json")) {
      // The exact text Spark wrote: a difference in number formatting shows.
      return spark.read().text(dir.toString());
    }
    if (part.contains(".csv")) {
      return spark.read().option("header", "true").csv(dir.toString());
    }
    throw new IllegalStateException("cannot tell the format of " + dir + " from its file " + part);
  }
}
