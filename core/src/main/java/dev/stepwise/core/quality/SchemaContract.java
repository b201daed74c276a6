package dev.stepwise.core.quality;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Holds a dataset to its declared schema. Every declared column must be there with the same type,
 * or one that widens to it without loss (int to long, float to double, a decimal or integer that
 * fits the declared decimal); the result has exactly the declared columns, in declared order, cast
 * to the declared types. Columns that are not declared are dropped: upstream systems add columns
 * all the time, and a contract that broke on every addition would be switched off. Checking needs
 * only the analyzed schema, no Spark job.
 */
public final class SchemaContract {
  private SchemaContract() {}

  /**
   * @param source what produced the data, for the message ("read from /data/x", "step 'fees'")
   * @throws SchemaMismatchException naming every missing or incompatible column
   */
  public static Dataset<Row> conform(String dataset, String source, Dataset<Row> data, StructType declared) {
    Map<String, StructField> actual = java.util.Arrays.stream(data.schema().fields())
        .collect(Collectors.toMap(f -> f.name().toLowerCase(Locale.ROOT), Function.identity(), (a, b) -> a));
    List<String> differences = new ArrayList<>();
    List<Column> projection = new ArrayList<>();
    for (StructField expected : declared.fields()) {
      StructField found = actual.get(expected.name().toLowerCase(Locale.ROOT));
      if (found == null) {
        differences.add("column '" + expected.name() + "' is missing (expected " + expected.dataType().simpleString() + ")");
      } else if (!widensTo(found.dataType(), expected.dataType())) {
        differences.add("column '" + expected.name() + "' is " + found.dataType().simpleString() + ", expected "
            + expected.dataType().simpleString());
      } else {
        projection.add(col(found.name()).cast(expected.dataType()).as(expected.name()));
      }
    }
    if (!differences.isEmpty()) {
      throw new SchemaMismatchException(dataset, source, differences);
    }
    return data.select(projection.toArray(Column[]::new));
  }

  /** Whether every value of {@code from} is a value of {@code to}: same type, or a lossless widening. */
  static boolean widensTo(DataType from, DataType to) {
    if (from.sameType(to)) {
      return true;
    }
    int fromRank = integerRank(from);
    if (fromRank >= 0 && integerRank(to) >= fromRank) {
      return true;
    }
    if (from.equals(DataTypes.FloatType) && to.equals(DataTypes.DoubleType)) {
      return true;
    }
    if (to instanceof DecimalType target) {
      if (from instanceof DecimalType source) {
        return target.scale() >= source.scale()
            && target.precision() - target.scale() >= source.precision() - source.scale();
      }
      if (fromRank >= 0) {
        return target.precision() - target.scale() >= INTEGER_DIGITS[fromRank];
      }
    }
    return false;
  }

  private static final int[] INTEGER_DIGITS = {3, 5, 10, 19};

  private static int integerRank(DataType type) {
    if (type.equals(DataTypes.ByteType)) {
      return 0;
    }
    if (type.equals(DataTypes.ShortType)) {
      return 1;
    }
    if (type.equals(DataTypes.IntegerType)) {
      return 2;
    }
    if (type.equals(DataTypes.LongType)) {
      return 3;
    }
    return -1;
  }
}
