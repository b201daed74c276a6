import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
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
 *   OutputFixtures REFERENCE CANDIDATE SEED COUNT
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
    SparkSession spark = SparkSession.builder().master("local[2]").appName("output-fixtures")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
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
    spark.stop();
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
