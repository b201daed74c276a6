import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Writes seeded pairs of datasets for bin/checks/compare-outputs: under REFERENCE and CANDIDATE the
 * same datasets (parquet, csv, json; some with duplicate rows), each candidate copy either equal in
 * another row order and partitioning, or changed in one way the comparer must see: a row dropped, a
 * duplicate dropped, a row added, a value changed, a column renamed, the dataset left out, or left
 * without its _SUCCESS marker. Prints one line per dataset: its path and the expected verdict
 * (same, different, missing, partial).
 *
 * With DELTA_EXPECTED (and Delta Lake on the class path) it also writes Delta tables under delta/:
 * the reference's with one version, the candidate's with several versions, drawn from: every version
 * equal; one older version changed; the latest changed; an older version's data file gone; a first
 * commit killed midway (data files, no commit, with or without an empty _delta_log). Their verdicts for
 * a plain comparison (which reads the latest version) go to standard output with the others; their
 * verdicts under --visible --every-version go to DELTA_EXPECTED, one line each: the path and same,
 * absent, or different / unreadable with the version that is.
 *
 *   OutputFixtures REFERENCE CANDIDATE SEED COUNT [DELTA_EXPECTED]
 */
public class OutputFixtures {
  private static final String[] CHANGES = {"same", "same", "drop_row", "drop_duplicate", "add_row", "change_value",
      "rename_column", "leave_out", "no_marker"};
  private static final String[] FORMATS = {"parquet", "csv", "json"};
  private static final StructType SCHEMA = new StructType().add("id", DataTypes.LongType)
      .add("name", DataTypes.StringType).add("amount", DataTypes.createDecimalType(12, 2));

  public static void main(String[] args) throws Exception {
    Path reference = Path.of(args[0]);
    Path candidate = Path.of(args[1]);
    Random random = new Random(Long.parseLong(args[2]));
    int count = Integer.parseInt(args[3]);
    SparkSession.Builder builder = SparkSession.builder().master("local[2]").appName("output-fixtures")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1");
    if (args.length > 4) {
      builder.config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
          .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
          .config("spark.databricks.delta.snapshotPartitions", "1");
    }
    SparkSession spark = builder.getOrCreate();
    spark.sparkContext().setLogLevel("ERROR");
    for (int i = 0; i < count; i++) {
      // The first datasets take every change once; the rest are drawn at random.
      String change = i < CHANGES.length ? CHANGES[i] : CHANGES[random.nextInt(CHANGES.length)];
      String format = FORMATS[random.nextInt(FORMATS.length)];
      String name = (i % 2 == 0 ? "reports" : "ledger") + "/d" + i + "_" + change + "/run_date=2026-11-21";
      List<Row> rows = rows(random);
      write(spark, rows, SCHEMA, format, reference.resolve(name), 1);
      String verdict = "different";
      List<Row> changed = new ArrayList<>(rows);
      StructType schema = SCHEMA;
      switch (change) {
        case "same" -> verdict = "same";
        case "drop_row" -> changed.remove(random.nextInt(changed.size()));
        case "drop_duplicate" -> changed.remove(changed.size() - 1); // the last row repeats the first
        case "add_row" -> changed.add(RowFactory.create(999_999L, "extra", new java.math.BigDecimal("1.00")));
        case "change_value" -> {
          int at = random.nextInt(changed.size());
          Row row = changed.get(at);
          changed.set(at, RowFactory.create(row.get(0), row.get(1),
              ((java.math.BigDecimal) row.get(2)).add(new java.math.BigDecimal("0.01"))));
        }
        case "rename_column" -> schema = new StructType().add("id", DataTypes.LongType)
            .add("label", DataTypes.StringType).add("amount", DataTypes.createDecimalType(12, 2));
        case "leave_out" -> verdict = "missing";
        case "no_marker" -> verdict = "partial";
        default -> throw new IllegalStateException(change);
      }
      if (!change.equals("leave_out")) {
        Collections.shuffle(changed, random);
        Path target = candidate.resolve(name);
        write(spark, changed, schema, format, target, 1 + random.nextInt(3));
        if (change.equals("no_marker")) {
          Files.delete(target.resolve("_SUCCESS"));
        }
      }
      System.out.println(name + " " + verdict);
    }
    if (args.length > 4) {
      List<String> everyVersion = new ArrayList<>();
      for (int i = 0; i < Math.max(DELTA_CHANGES.length, count / 3); i++) {
        String change = i < DELTA_CHANGES.length ? DELTA_CHANGES[i] : DELTA_CHANGES[random.nextInt(DELTA_CHANGES.length)];
        String name = "delta/t" + i + "_" + change;
        String[] verdicts = deltaTable(spark, random, change, reference.resolve(name), candidate.resolve(name));
        System.out.println(name + " " + verdicts[0]);
        everyVersion.add(name + " " + verdicts[1]);
      }
      Files.write(Path.of(args[4]), everyVersion);
    }
    spark.stop();
  }

  private static final String[] DELTA_CHANGES = {"all_same", "bad_old_version", "bad_latest", "old_file_gone",
      "uncommitted", "uncommitted_no_log"};

  /**
   * One Delta table in the reference and its versions in the candidate, changed as {@code change} says;
   * returns the verdicts of a plain comparison and of one under --visible --every-version.
   */
  private static String[] deltaTable(SparkSession spark, Random random, String change, Path reference,
      Path candidate) throws Exception {
    List<Row> rows = rows(random);
    write(spark, rows, SCHEMA, "delta", reference, 1);
    if (change.startsWith("uncommitted")) {
      // What a first commit killed midway leaves: Delta wrote the data files, never the commit.
      write(spark, rows, SCHEMA, "parquet", candidate, 2);
      Files.deleteIfExists(candidate.resolve("_SUCCESS"));
      if (change.equals("uncommitted")) {
        Files.createDirectories(candidate.resolve("_delta_log"));
      }
      return new String[] {"missing", "absent"};
    }
    int versions = 2 + random.nextInt(3);
    int bad = change.equals("bad_latest") ? versions - 1 : random.nextInt(versions - 1);
    List<String> filesOfBad = List.of();
    for (int version = 0; version < versions; version++) {
      List<Row> written = new ArrayList<>(rows);
      if (version == bad && change.startsWith("bad")) {
        written.remove(random.nextInt(written.size()));
      }
      Collections.shuffle(written, random);
      Set<String> before = dataFiles(candidate);
      write(spark, written, SCHEMA, "delta", candidate, 1 + random.nextInt(3));
      if (version == bad) {
        Set<String> after = dataFiles(candidate);
        after.removeAll(before);
        filesOfBad = new ArrayList<>(after);
      }
    }
    if (change.equals("old_file_gone")) {
      Files.delete(candidate.resolve(filesOfBad.get(0)));
    }
    return switch (change) {
      case "all_same" -> new String[] {"same", "same"};
      case "bad_old_version", "old_file_gone" -> new String[] {"same", (change.equals("bad_old_version")
          ? "different " : "unreadable ") + bad};
      case "bad_latest" -> new String[] {"different", "different " + bad};
      default -> throw new IllegalStateException(change);
    };
  }

  private static Set<String> dataFiles(Path table) throws Exception {
    if (!Files.isDirectory(table)) {
      return new TreeSet<>();
    }
    try (Stream<Path> files = Files.list(table)) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".parquet"))
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  /** Some rows, the first repeated at the end: duplicates must count. */
  private static List<Row> rows(Random random) {
    List<Row> rows = new ArrayList<>();
    int n = 3 + random.nextInt(40);
    for (long id = 0; id < n; id++) {
      rows.add(RowFactory.create(id, "n" + random.nextInt(1000),
          java.math.BigDecimal.valueOf(random.nextInt(1_000_000), 2)));
    }
    rows.add(rows.get(0));
    return rows;
  }

  private static void write(SparkSession spark, List<Row> rows, StructType schema, String format, Path path,
      int partitions) {
    Dataset<Row> data = spark.createDataFrame(rows, schema).repartition(partitions);
    data.write().mode(SaveMode.Overwrite).format(format).option("header", "true").save(path.toString());
  }
}
