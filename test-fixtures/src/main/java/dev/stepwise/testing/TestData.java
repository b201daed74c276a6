package dev.stepwise.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Small test Datasets: rows written as Java values under a DDL schema, lines of text, or fixture
 * files (JSON, CSV) under {@code src/test/resources}.
 *
 * <pre>{@code
 * Dataset<Row> rates = TestData.table(spark, "currency STRING, rate_to_usd DECIMAL(18,8)")
 *     .row("EUR", "1.0825")
 *     .row("JPY", new BigDecimal("0.006678"))
 *     .build();
 * }</pre>
 */
public final class TestData {
  private TestData() {}

  /**
   * Rows under a DDL schema such as {@code "id STRING, amount DECIMAL(18,2) NOT NULL, at TIMESTAMP"}.
   * Values may be the Java types Spark uses or text Spark's types are read from; see
   * {@link TableBuilder#row}.
   */
  public static TableBuilder table(SparkSession spark, String ddl) {
    return new TableBuilder(spark, StructType.fromDDL(ddl));
  }

  public static TableBuilder table(SparkSession spark, StructType schema) {
    return new TableBuilder(spark, schema);
  }

  /** One string column {@code value}, a row per line: what Spark's text format reads. */
  public static Dataset<Row> lines(SparkSession spark, String... lines) {
    List<Row> rows = Arrays.stream(lines).map(l -> RowFactory.create(l)).toList();
    return spark.createDataFrame(rows, new StructType().add("value", DataTypes.StringType, false));
  }

  /**
   * A JSON fixture from the test class path ({@code src/test/resources/<resource>}): one object per
   * line, or one array of objects. A value that does not fit {@code ddl} fails the read instead of
   * turning into null.
   */
  public static Dataset<Row> json(SparkSession spark, String resource, String ddl) {
    Path file = resource(resource);
    DataFrameReader reader = spark.read().schema(ddl).option("mode", "FAILFAST");
    return reader.option("multiLine", Boolean.toString(startsWithArray(file))).json(file.toString());
  }

  /**
   * A CSV fixture with a header line from the test class path; the header must name the columns
   * of {@code ddl} in its order, and a value that does not fit fails the read.
   */
  public static Dataset<Row> csv(SparkSession spark, String resource, String ddl) {
    return spark.read().schema(ddl).option("header", "true").option("enforceSchema", "false")
        .option("mode", "FAILFAST").csv(resource(resource).toString());
  }

  /** The file of a test resource, e.g. {@code "payments/events.jsonl"}. */
  public static Path resource(String resource) {
    Objects.requireNonNull(resource, "resource");
    String name = resource.startsWith("/") ? resource.substring(1) : resource;
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    URL url = loader == null ? null : loader.getResource(name);
    if (url == null) {
      url = TestData.class.getClassLoader().getResource(name);
    }
    if (url == null) {
      throw new IllegalArgumentException("no test resource '" + name + "' on the class path; put the file at"
          + " src/test/resources/" + name);
    }
    if (!"file".equals(url.getProtocol())) {
      throw new IllegalArgumentException("test resource '" + name + "' is inside " + url
          + "; Spark reads files only: keep fixtures under src/test/resources of the module under test");
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("test resource '" + name + "' has an unusable location " + url, e);
    }
  }

  private static boolean startsWithArray(Path file) {
    try {
      return Files.readString(file).stripLeading().startsWith("[");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the fixture " + file, e);
    }
  }

  /** Collects rows for one schema; {@link #build()} makes the Dataset. */
  public static final class TableBuilder {
    private final SparkSession spark;
    private final StructType schema;
    private final List<Row> rows = new ArrayList<>();

    private TableBuilder(SparkSession spark, StructType schema) {
      this.spark = Objects.requireNonNull(spark, "spark");
      this.schema = Objects.requireNonNull(schema, "schema");
    }

    /**
     * One row, a value per column in schema order. Besides Spark's own Java types, text and numbers
     * are accepted and converted exactly: {@code "12.50"} or {@code 12.5} for a decimal (never
     * rounded: more places than the type keeps is an error), {@code "2026-11-21T10:00:00Z"} or
     * {@code "2026-11-21 10:00:00"} (UTC) for a timestamp, {@code "2026-11-21"} for a date, any
     * integral number for an integer column, a {@code List} for an array, a {@code Map} for a
     * map, a {@code List} or {@code Row} for a struct.
     */
    public TableBuilder row(Object... values) {
      if (values == null) {
        values = new Object[] {null};
      }
      if (values.length != schema.size()) {
        throw new IllegalArgumentException("row " + (rows.size() + 1) + " has " + values.length + " values but the"
            + " schema has " + schema.size() + " columns: " + String.join(", ", schema.fieldNames()));
      }
      Object[] converted = new Object[values.length];
      StructField[] fields = schema.fields();
      for (int i = 0; i < values.length; i++) {
        String where = "row " + (rows.size() + 1) + ", column '" + fields[i].name() + "'";
        converted[i] = JavaValues.toSpark(values[i], fields[i].dataType(), fields[i].nullable(), where);
      }
      rows.add(RowFactory.create(converted));
      return this;
    }

    public Dataset<Row> build() {
      return spark.createDataFrame(rows, schema);
    }
  }
}
