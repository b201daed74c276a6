import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Compares the published datasets of pipeline runs under different storage roots, row for row. Run it
 * through bin/lib/compare-outputs, which puts Spark's jars from the Maven build on the class path:
 *
 * <pre>
 *   compare-outputs [--visible] [--every-version] [--only DIR,...] REFERENCE CANDIDATE...
 *                   [--then [OPTIONS] REFERENCE CANDIDATE...]...
 * </pre>
 *
 * A dataset is a folder holding Spark's _SUCCESS marker, or a Delta table's _delta_log; inputs (raw/)
 * and folders whose name starts with "." or "_" (staging, run reports) are not compared. Each
 * dataset of the reference must be in each candidate, complete, with the same schema and the same
 * multiset of rows (order does not matter, duplicates do). With --visible a dataset may be absent
 * (a run killed midway), but one that is visible must be complete and equal. A Delta table counts
 * as absent while its _delta_log holds no commit (a first commit killed midway: no Delta reader sees
 * a table there). With --every-version, every version in a candidate Delta table's _delta_log (what
 * time travel shows), not only the latest, must equal the reference's table; a version whose commit
 * file is byte for byte one an earlier candidate of the same comparison had is not read again (the
 * copies of one table taken after each kill share their older versions). With --only, only the
 * datasets under those top folders are compared, and there a candidate may hold none the reference
 * lacks; without it, a candidate's extra datasets are ignored (another grouping materializes more
 * intermediates). CSV is read as strings and JSON as its text, so that nothing is inferred away.
 *
 * --then starts another comparison with its own options and roots, in the same JVM (one Spark start
 * for many comparisons). Each comparison prints a line per dataset, the rows that differ (a few of
 * each side), and last its summary line "compared N, missing M, different D" (with "(V versions)"
 * after N under --every-version); exits 0 when all is equal, 1 on any difference, 2 on bad usage.
 */
public class CompareOutputs {
  private static final int SHOWN_ROWS = 5;
  private static final String DELTA_EXTENSION = "io.delta.sql.DeltaSparkSessionExtension";
  private static final String DELTA_LOG = "_delta_log";
  private static final Pattern COMMIT_FILE = Pattern.compile("(\\d{20})\\.json");
  /** How many times a row is in the reference minus in the candidate, in the comparison's one job. */
  private static final String BALANCE = "__compare_outputs_balance";
  private static final String USAGE = "usage: compare-outputs [--visible] [--every-version] [--only DIR,...]"
      + " REFERENCE_ROOT CANDIDATE_ROOT... [--then [OPTIONS] REFERENCE_ROOT CANDIDATE_ROOT...]...";

  /** One comparison: a reference root, its candidates, and how strictly they are judged. */
  record Comparison(boolean visibleOnly, boolean everyVersion, Set<String> only, List<Path> roots) {
    Path reference() {
      return roots.get(0);
    }

    List<Path> candidates() {
      return roots.subList(1, roots.size());
    }
  }

  public static void main(String[] args) throws IOException {
    List<Comparison> comparisons = parse(args);
    SparkSession spark = null;
    int differences = 0;
    for (Comparison comparison : comparisons) {
      Set<Path> expected = datasets(comparison.reference(), comparison.only());
      if (expected.isEmpty()) {
        System.out.println("DIFFERENT " + comparison.reference() + ": no published dataset"
            + (comparison.only().isEmpty() ? "" : " under " + comparison.only())
            + ": the reference run wrote nothing to compare with");
        System.out.println("compared 0, missing 0, different 1");
        differences++;
        continue;
      }
      if (spark == null) {
        spark = session();
      }
      differences += new Run(spark, comparison, expected).compare();
    }
    if (spark != null) {
      spark.stop();
    }
    System.exit(differences == 0 ? 0 : 1);
  }

  private static List<Comparison> parse(String[] args) {
    List<Comparison> comparisons = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= args.length; i++) {
      if (i == args.length || args[i].equals("--then")) {
        comparisons.add(comparison(Arrays.copyOfRange(args, start, i)));
        start = i + 1;
      }
    }
    return comparisons;
  }

  private static Comparison comparison(String[] args) {
    boolean visibleOnly = false;
    boolean everyVersion = false;
    Set<String> only = new TreeSet<>();
    List<Path> roots = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--visible")) {
        visibleOnly = true;
      } else if (args[i].equals("--every-version")) {
        everyVersion = true;
      } else if (args[i].equals("--only") && i + 1 < args.length) {
        only.addAll(List.of(args[++i].split(",")));
      } else if (args[i].startsWith("-")) {
        usage("unknown option " + args[i]);
      } else {
        roots.add(Path.of(args[i]));
      }
    }
    if (roots.size() < 2) {
      usage("a reference root and at least one candidate root are needed" + (roots.isEmpty() ? "" : " (after " + roots + ")"));
    }
    for (Path root : roots) {
      if (!Files.isDirectory(root)) {
        usage(root + " is not a folder");
      }
    }
    return new Comparison(visibleOnly, everyVersion, only, roots);
  }

  private static void usage(String problem) {
    System.err.println("compare-outputs: " + problem);
    System.err.println(USAGE);
    System.exit(2);
  }

  /** One comparison run: the reference's datasets are read once and kept for all its candidates. */
  private static final class Run {
    private final SparkSession spark;
    private final Comparison comparison;
    private final Set<Path> expected;
    private final Map<Path, Dataset<Row>> referenceRows = new HashMap<>();
    private final Map<Path, Long> referenceCounts = new HashMap<>();
    /** Delta versions already compared, by dataset, version and digest of the commit file. */
    private final Map<String, SeenVersion> versionsSeen = new HashMap<>();
    private final List<String> different = new ArrayList<>();
    private int compared;
    private int versions;
    private int missing;

    Run(SparkSession spark, Comparison comparison, Set<Path> expected) {
      this.spark = spark;
      this.comparison = comparison;
      this.expected = expected;
    }

    int compare() throws IOException {
      Path reference = comparison.reference();
      for (Path candidate : comparison.candidates()) {
        System.out.println("compare-outputs: " + candidate + " against " + reference);
        for (Path dataset : expected) {
          compareDataset(candidate, dataset);
        }
        if (!comparison.only().isEmpty()) {
          Set<Path> extra = datasets(candidate, comparison.only());
          extra.removeAll(expected);
          extra.forEach(d -> different.add(candidate + ": " + d + " is not in the reference run"));
        }
      }
      referenceRows.values().forEach(Dataset::unpersist);
      different.forEach(d -> System.out.println("DIFFERENT " + d));
      System.out.printf("compared %d%s, missing %d, different %d%n", compared,
          comparison.everyVersion() ? " (" + versions + " versions)" : "", missing, different.size());
      return different.size();
    }

    private void compareDataset(Path candidate, Path dataset) throws IOException {
      Path actual = candidate.resolve(dataset);
      Path reference = comparison.reference().resolve(dataset);
      String name = candidate + ": " + dataset;
      boolean uncommitted = !hasSuccess(actual) && Files.isDirectory(actual)
          && (Files.isDirectory(actual.resolve(DELTA_LOG)) || isDelta(reference)) && commits(actual).isEmpty();
      if (!Files.isDirectory(actual) || uncommitted) {
        missing++;
        if (!comparison.visibleOnly()) {
          different.add(name + " is missing" + (uncommitted ? " (its folder holds no Delta commit)" : ""));
        }
        return;
      }
      if (!isDataset(actual)) {
        different.add(name + " is visible without its _SUCCESS marker or _delta_log (partial data)");
        return;
      }
      compared++;
      if (comparison.everyVersion() && isDelta(actual)) {
        for (long version : commits(actual)) {
          compareVersion(candidate, dataset, version);
        }
        return;
      }
      differences(name, dataset, () -> read(spark, actual, Optional.empty()));
    }

    private void compareVersion(Path candidate, Path dataset, long version) throws IOException {
      Path actual = candidate.resolve(dataset);
      String key = dataset + "@" + version + ":" + digest(actual.resolve(DELTA_LOG).resolve(commitFile(version)));
      versions++;
      String name = candidate + ": " + dataset + "@v" + version;
      SeenVersion seen = versionsSeen.get(key);
      if (seen != null) { // the same commit, compared in an earlier candidate
        if (!seen.equal()) {
          different.add(name + ": the same commit as " + seen.where() + ": " + dataset + "@v" + version
              + ", which differs");
        }
        return;
      }
      int before = different.size();
      differences(name, dataset, () -> read(spark, actual, Optional.of(version)));
      versionsSeen.put(key, new SeenVersion(candidate, different.size() == before));
    }

    /** Adds what differs between the reference's dataset and the candidate's rows; prints a line when equal. */
    private void differences(String name, Path dataset, RowSource candidateRows) throws IOException {
      Dataset<Row> expectedRows = reference(dataset);
      Dataset<Row> actual;
      try {
        actual = candidateRows.read();
        actual.schema(); // a Delta version whose files are gone fails here, not in the middle of the report
      } catch (Exception e) { // Spark's and Hadoop's checked exceptions arrive undeclared through Scala
        different.add(name + " cannot be read: " + firstLine(e));
        return;
      }
      if (!expectedRows.schema().equals(actual.schema())) {
        different.add(name + ": schema " + actual.schema().simpleString() + " differs from the reference's "
            + expectedRows.schema().simpleString());
        return;
      }
      long rows = referenceCounts.computeIfAbsent(dataset, d -> expectedRows.count());
      Dataset<Row> balance;
      try {
        balance = unbalanced(expectedRows, actual).cache();
        if (balance.isEmpty()) {
          balance.unpersist();
          System.out.printf("  same  %s: %,d rows%n", name, rows);
          return;
        }
      } catch (Exception e) { // a data file a Delta version lists may be gone
        different.add(name + " cannot be read: " + firstLine(e));
        return;
      }
      Row totals = balance.agg(sum(when(col(BALANCE).gt(0), col(BALANCE)).otherwise(0)),
          sum(when(col(BALANCE).lt(0), functions.negate(col(BALANCE))).otherwise(0))).first();
      long missingRows = totals.getLong(0);
      long extraRows = totals.getLong(1);
      StringBuilder text = new StringBuilder(String.format("%s: %,d of %,d reference rows missing, %,d rows not in the"
          + " reference", name, missingRows, rows, extraRows));
      shown(text, "missing", balance.where(col(BALANCE).gt(0)), missingRows);
      shown(text, "not in the reference", balance.where(col(BALANCE).lt(0)), extraRows);
      balance.unpersist();
      different.add(text.toString());
    }

    private Dataset<Row> reference(Path dataset) throws IOException {
      Dataset<Row> rows = referenceRows.get(dataset);
      if (rows == null) {
        rows = read(spark, comparison.reference().resolve(dataset), Optional.empty()).cache();
        referenceRows.put(dataset, rows);
      }
      return rows;
    }
  }

  /** A Delta version compared in candidate {@code where}, and whether it equalled the reference. */
  private record SeenVersion(Path where, boolean equal) {}

  @FunctionalInterface
  private interface RowSource {
    Dataset<Row> read() throws IOException;
  }

  /**
   * The distinct rows whose count differs between the two sides, each with its count in {@code expected}
   * minus its count in {@code actual}: one job for what two exceptAll would tell (multisets, nulls equal).
   */
  private static Dataset<Row> unbalanced(Dataset<Row> expected, Dataset<Row> actual) {
    Column[] columns = Arrays.stream(expected.columns()).map(c -> col("`" + c.replace("`", "``") + "`"))
        .toArray(Column[]::new);
    Dataset<Row> both = expected.withColumn(BALANCE, lit(1L)).union(actual.withColumn(BALANCE, lit(-1L)));
    return both.groupBy(columns).agg(sum(col(BALANCE)).as(BALANCE)).where(col(BALANCE).notEqual(0));
  }

  private static SparkSession session() {
    SparkSession.Builder builder = SparkSession.builder().master("local[2]").appName("compare-outputs")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1").config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "2");
    if (deltaOnClassPath()) {
      builder.config("spark.sql.extensions", DELTA_EXTENSION)
          .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
          // Small tables: Delta's log state in one partition, not fifty.
          .config("spark.databricks.delta.snapshotPartitions", "1");
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
    return hasSuccess(folder) || isDelta(folder);
  }

  private static boolean hasSuccess(Path folder) {
    return Files.exists(folder.resolve("_SUCCESS"));
  }

  private static boolean isDelta(Path folder) {
    return Files.isDirectory(folder.resolve(DELTA_LOG));
  }

  /** The versions a Delta table's log holds a commit file for, oldest first. */
  private static List<Long> commits(Path table) throws IOException {
    Path log = table.resolve(DELTA_LOG);
    if (!Files.isDirectory(log)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(log)) {
      return files.map(f -> COMMIT_FILE.matcher(f.getFileName().toString())).filter(Matcher::matches)
          .map(m -> Long.parseLong(m.group(1))).sorted().collect(Collectors.toList());
    }
  }

  private static String commitFile(long version) {
    return String.format("%020d.json", version);
  }

  private static String digest(Path file) throws IOException {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static String firstLine(Throwable e) {
    String message = String.valueOf(e.getMessage());
    int end = message.indexOf('\n');
    return e.getClass().getSimpleName() + ": " + (end < 0 ? message : message.substring(0, end));
  }

  /** A few of the differing rows, in a stable order so that two runs of the comparison print the same. */
  private static void shown(StringBuilder into, String what, Dataset<Row> balance, long count) {
    String sign = what.equals("missing") ? "-" : "+";
    List<String> sample = new ArrayList<>();
    for (Row row : balance.collectAsList()) {
      long times = Math.abs(row.getLong(row.fieldIndex(BALANCE)));
      String text = "[" + Stream.iterate(0, i -> i < row.length() - 1, i -> i + 1).map(i -> String.valueOf(row.get(i)))
          .collect(Collectors.joining(",")) + "]";
      for (long i = 0; i < times && i < SHOWN_ROWS; i++) {
        sample.add(text);
      }
    }
    sample = sample.stream().sorted().limit(SHOWN_ROWS).collect(Collectors.toList());
    for (String row : sample) {
      into.append(String.format("%n    %s %s", sign, row));
    }
    if (count > sample.size()) {
      into.append(String.format("%n    %s ... and %,d more %s", sign, count - sample.size(), what));
    }
  }

  /**
   * A dataset read by what it holds: a Delta log (at {@code version}, or its latest), else the
   * extension of its part files.
   */
  private static Dataset<Row> read(SparkSession spark, Path dir, Optional<Long> version) throws IOException {
    if (Files.isDirectory(dir.resolve(DELTA_LOG))) {
      if (!deltaOnClassPath()) {
        throw new IllegalStateException(dir + " is a Delta table, but Delta Lake is not on the class path:"
            + " add delta-spark's jars (or the application jar, which carries them) with STEPWISE_COMPARE_CP=jar1:jar2");
      }
      var reader = spark.read().format("delta");
      if (version.isPresent()) {
        reader = reader.option("versionAsOf", version.get());
      }
      return reader.load(dir.toString());
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
