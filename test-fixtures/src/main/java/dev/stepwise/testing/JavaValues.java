package dev.stepwise.testing;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/** Converts the values a test writes to the Java types Spark expects for a column type, exactly. */
final class JavaValues {
  private JavaValues() {}

  static Object toSpark(Object value, DataType type, boolean nullable, String where) {
    if (value == null) {
      if (!nullable) {
        throw new IllegalArgumentException(where + " is NOT NULL in the schema but the value is null");
      }
      return null;
    }
    try {
      return convert(value, type, where);
    } catch (ArithmeticException | NumberFormatException | DateTimeParseException e) {
      throw invalid(value, type, where, e.getMessage());
    }
  }

  private static Object convert(Object value, DataType type, String where) {
    if (type instanceof StringType) {
      if (value instanceof String || value instanceof Enum<?> || value instanceof Character) {
        return value instanceof Enum<?> e ? e.name() : value.toString();
      }
    } else if (type instanceof BooleanType) {
      if (value instanceof Boolean) {
        return value;
      }
      if ("true".equals(value) || "false".equals(value)) {
        return Boolean.valueOf((String) value);
      }
    } else if (type instanceof ByteType) {
      return integral(value, type, where).byteValueExact();
    } else if (type instanceof ShortType) {
      return integral(value, type, where).shortValueExact();
    } else if (type instanceof IntegerType) {
      return integral(value, type, where).intValueExact();
    } else if (type instanceof LongType) {
      return integral(value, type, where).longValueExact();
    } else if (type instanceof DoubleType || type instanceof FloatType) {
      double d = value instanceof Number n ? n.doubleValue()
          : value instanceof String s ? Double.parseDouble(s) : Double.NaN;
      if (value instanceof Number || value instanceof String) {
        return type instanceof DoubleType ? (Object) d : (Object) (float) d;
      }
    } else if (type instanceof DecimalType decimal) {
      BigDecimal d = decimal(value);
      if (d != null) {
        BigDecimal scaled;
        try {
          scaled = d.setScale(decimal.scale());
        } catch (ArithmeticException e) {
          throw invalid(value, type, where, "more decimal places than " + decimal.simpleString() + " keeps");
        }
        if (scaled.precision() > decimal.precision()) {
          throw invalid(value, type, where, "more digits than " + decimal.simpleString() + " holds");
        }
        return scaled;
      }
    } else if (type instanceof DateType) {
      if (value instanceof LocalDate || value instanceof java.sql.Date) {
        return value;
      }
      if (value instanceof String s) {
        return LocalDate.parse(s);
      }
    } else if (type instanceof TimestampType) {
      if (value instanceof Instant || value instanceof Timestamp) {
        return value;
      }
      if (value instanceof OffsetDateTime t) {
        return t.toInstant();
      }
      if (value instanceof LocalDateTime t) {
        return t.toInstant(ZoneOffset.UTC);
      }
      if (value instanceof String s) {
        return instant(s);
      }
    } else if (type instanceof TimestampNTZType) {
      if (value instanceof LocalDateTime) {
        return value;
      }
      if (value instanceof String s) {
        return LocalDateTime.parse(s.replace(' ', 'T'));
      }
    } else if (type instanceof BinaryType) {
      if (value instanceof byte[]) {
        return value;
      }
    } else if (type instanceof ArrayType array) {
      List<?> items = value instanceof List<?> l ? l : value instanceof Object[] a ? Arrays.asList(a) : null;
      if (items != null) {
        List<Object> converted = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
          converted.add(toSpark(items.get(i), array.elementType(), array.containsNull(), where + "[" + i + "]"));
        }
        return converted;
      }
    } else if (type instanceof MapType map && value instanceof Map<?, ?> entries) {
      Map<Object, Object> converted = new LinkedHashMap<>();
      entries.forEach((k, v) -> converted.put(toSpark(k, map.keyType(), false, where + " key"),
          toSpark(v, map.valueType(), map.valueContainsNull(), where + "[" + k + "]")));
      return converted;
    } else if (type instanceof StructType struct) {
      List<?> items = value instanceof Row r ? CellValues.of(r) : value instanceof List<?> l ? l : null;
      if (items != null && items.size() == struct.size()) {
        Object[] converted = new Object[items.size()];
        StructField[] fields = struct.fields();
        for (int i = 0; i < converted.length; i++) {
          converted[i] = toSpark(items.get(i), fields[i].dataType(), fields[i].nullable(),
              where + "." + fields[i].name());
        }
        return RowFactory.create(converted);
      }
    } else {
      // Any other type: trust the caller to hand Spark's own Java type.
      return value;
    }
    throw invalid(value, type, where, "use " + accepted(type));
  }

  private static BigInteger integral(Object value, DataType type, String where) {
    if (value instanceof Byte || value instanceof Short || value instanceof Integer || value instanceof Long) {
      return BigInteger.valueOf(((Number) value).longValue());
    }
    if (value instanceof BigInteger b) {
      return b;
    }
    if (value instanceof String s) {
      return new BigInteger(s.strip());
    }
    throw invalid(value, type, where, "use " + accepted(type));
  }

  private static BigDecimal decimal(Object value) {
    if (value instanceof BigDecimal d) {
      return d;
    }
    if (value instanceof String s) {
      return new BigDecimal(s.strip());
    }
    if (value instanceof Double || value instanceof Float) {
      // The shortest decimal that prints as the double: 0.1 means 0.1, not 0.1000000000000000055...
      return new BigDecimal(value.toString());
    }
    if (value instanceof Number n) {
      return new BigDecimal(n.toString());
    }
    return null;
  }

  private static Instant instant(String text) {
    String s = text.strip();
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException withoutZone) {
      return LocalDateTime.parse(s.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
    }
  }

  private static String accepted(DataType type) {
    if (type instanceof StringType) {
      return "a String";
    }
    if (type instanceof DecimalType) {
      return "a BigDecimal, a number or its text";
    }
    if (type instanceof TimestampType) {
      return "an Instant, a Timestamp or text like 2026-11-21T10:00:00Z";
    }
    if (type instanceof DateType) {
      return "a LocalDate or text like 2026-11-21";
    }
    if (type instanceof ArrayType) {
      return "a List";
    }
    if (type instanceof StructType struct) {
      return "a Row or a List of " + struct.size() + " values";
    }
    if (type instanceof MapType) {
      return "a Map";
    }
    return "a " + type.simpleString() + " value";
  }

  private static IllegalArgumentException invalid(Object value, DataType type, String where, String why) {
    return new IllegalArgumentException(where + " (" + type.simpleString() + "): cannot use " + value + " ("
        + value.getClass().getSimpleName() + "): " + why);
  }
}
