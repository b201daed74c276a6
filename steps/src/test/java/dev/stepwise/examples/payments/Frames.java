package dev.stepwise.examples.payments;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Tiny in-memory DataFrames written as text, and their rows read back as text.
 *
 * <p>A table is a DDL schema and rows of {@code |}-separated values ({@code null} for null), cast
 * to the schema's types by Spark itself: {@code "e1|12.50|2026-11-21T10:00:00Z"}. Rows come back
 * the same way, sorted, so assertions compare multisets and never depend on row order; decimals
 * keep their scale, so {@code 12.5} and {@code 12.50} differ.
 */
final class Frames {
  private Frames() {}

  static Dataset<Row> table(SparkSession spark, String ddl, String... rows) {
    StructType schema = StructType.fromDDL(ddl);
    StructType text = new StructType(Arrays.stream(schema.fields())
        .map(f -> DataTypes.createStructField(f.name(), DataTypes.StringType, true))
        .toArray(StructField[]::new));
    List<Row> values = new ArrayList<>();
    for (String row : rows) {
      String[] cells = row.split("\\|", -1);
      if (cells.length != schema.size()) {
        throw new IllegalArgumentException("row '" + row + "' has " + cells.length + " values, schema has " + schema.size());
      }
      values.add(RowFactory.create(Arrays.stream(cells).map(c -> c.equals("null") ? null : c).toArray()));
    }
    Column[] typed = Arrays.stream(schema.fields())
        .map(f -> col(f.name()).cast(f.dataType()).as(f.name()))
        .toArray(Column[]::new);
    return spark.createDataFrame(values, text).select(typed);
  }

  static Dataset<Row> lines(SparkSession spark, String... lines) {
    List<Row> rows = Arrays.stream(lines).map(l -> RowFactory.create(l)).collect(Collectors.toList());
    return spark.createDataFrame(rows, new StructType().add("value", DataTypes.StringType));
  }

  /** The rows of the given columns (all of them when none is named), as sorted text. */
  static List<String> rows(Dataset<Row> data, String... columns) {
    Dataset<Row> selected = columns.length == 0 ? data : data.selectExpr(quoted(columns));
    return selected.collectAsList().stream().map(Frames::render).sorted().collect(Collectors.toList());
  }

  static List<String> sorted(String... rows) {
    return Arrays.stream(rows).sorted().collect(Collectors.toList());
  }

  /** The schema as {@code name:type} pairs, for asserting a step's output contract. */
  static List<String> columns(Dataset<Row> data) {
    return Arrays.stream(data.schema().fields())
        .map(f -> f.name() + ":" + f.dataType().simpleString())
        .collect(Collectors.toList());
  }

  private static String render(Row row) {
    List<String> cells = new ArrayList<>();
    for (int i = 0; i < row.length(); i++) {
      cells.add(String.valueOf(row.get(i)));
    }
    return String.join("|", cells);
  }

  private static String[] quoted(String[] columns) {
    return Arrays.stream(columns).map(c -> "`" + c + "`").toArray(String[]::new);
  }
}
