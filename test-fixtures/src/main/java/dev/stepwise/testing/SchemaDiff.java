package dev.stepwise.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The differences between two schemas, one line each, in terms a person fixes a test with. */
final class SchemaDiff {
  private SchemaDiff() {}

  static List<String> between(StructType expected, StructType actual, DatasetComparison how) {
    List<String> problems = new ArrayList<>();
    Map<String, StructField> actualByName = byName(actual);
    Map<String, StructField> expectedByName = byName(expected);
    for (StructField want : expected.fields()) {
      StructField got = actualByName.get(want.name());
      if (got == null) {
        problems.add("missing column '" + want.name() + "' " + describe(want));
        continue;
      }
      if (!strip(want.dataType()).equals(strip(got.dataType()))) {
        problems.add("column '" + want.name() + "': expected type " + want.dataType().simpleString()
            + ", actual " + got.dataType().simpleString());
      } else if (!how.ignoreNullability()) {
        if (want.nullable() != got.nullable()) {
          problems.add("column '" + want.name() + "': expected " + (want.nullable() ? "nullable" : "NOT NULL")
              + ", actual " + (got.nullable() ? "nullable" : "NOT NULL")
              + " (write NOT NULL in the expected schema, or compare ignoringNullability())");
        } else if (!want.dataType().equals(got.dataType())) {
          problems.add("column '" + want.name() + "': nullability differs inside " + want.dataType().simpleString()
              + ": expected " + want.dataType().json() + ", actual " + got.dataType().json()
              + " (compare ignoringNullability() if it does not matter)");
        }
      }
    }
    for (StructField got : actual.fields()) {
      if (!expectedByName.containsKey(got.name())) {
        problems.add("unexpected column '" + got.name() + "' " + describe(got));
      }
    }
    if (problems.isEmpty() && !how.ignoreColumnOrder()
        && !Arrays.equals(expected.fieldNames(), actual.fieldNames())) {
      problems.add("column order: expected " + Arrays.toString(expected.fieldNames()) + ", actual "
          + Arrays.toString(actual.fieldNames()) + " (compare ignoringColumnOrder() if order does not matter)");
    }
    if (expected.fieldNames().length != expectedByName.size() || actual.fieldNames().length != actualByName.size()) {
      problems.add("a column name appears twice: expected " + Arrays.toString(expected.fieldNames())
          + ", actual " + Arrays.toString(actual.fieldNames()));
    }
    return problems;
  }

  private static Map<String, StructField> byName(StructType schema) {
    Map<String, StructField> fields = new LinkedHashMap<>();
    for (StructField field : schema.fields()) {
      fields.putIfAbsent(field.name(), field);
    }
    return fields;
  }

  private static String describe(StructField field) {
    return field.dataType().simpleString() + (field.nullable() ? "" : " NOT NULL");
  }

  /** The type with every nullability flag set, so only names and types remain to compare. */
  static DataType strip(DataType type) {
    if (type instanceof StructType struct) {
      return new StructType(Arrays.stream(struct.fields())
          .map(f -> new StructField(f.name(), strip(f.dataType()), true, Metadata.empty()))
          .toArray(StructField[]::new));
    }
    if (type instanceof ArrayType array) {
      return new ArrayType(strip(array.elementType()), true);
    }
    if (type instanceof MapType map) {
      return new MapType(strip(map.keyType()), strip(map.valueType()), true);
    }
    return type;
  }
}
