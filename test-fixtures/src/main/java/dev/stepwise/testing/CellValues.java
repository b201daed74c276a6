package dev.stepwise.testing;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The values of collected rows made comparable and printable: Scala collections become Java ones,
 * structs become lists, binary becomes a buffer compared by content, so {@code equals} and
 * {@code hashCode} mean "same value".
 */
final class CellValues {
  private CellValues() {}

  static List<Object> of(Row row) {
    List<Object> cells = new ArrayList<>(row.length());
    for (int i = 0; i < row.length(); i++) {
      cells.add(normalize(row.get(i)));
    }
    return cells;
  }

  static Object normalize(Object value) {
    if (value instanceof Row row) {
      return of(row);
    }
    if (value instanceof byte[] bytes) {
      return ByteBuffer.wrap(bytes.clone());
    }
    if (value instanceof scala.collection.Map<?, ?> map) {
      Map<Object, Object> normalized = new LinkedHashMap<>();
      CollectionConverters.asJava(map).forEach((k, v) -> normalized.put(normalize(k), normalize(v)));
      return normalized;
    }
    if (value instanceof scala.collection.Iterable<?> items) {
      List<Object> normalized = new ArrayList<>();
      Iterator<?> it = CollectionConverters.asJava(items.iterator());
      it.forEachRemaining(item -> normalized.add(normalize(item)));
      return normalized;
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> normalized = new LinkedHashMap<>();
      map.forEach((k, v) -> normalized.put(normalize(k), normalize(v)));
      return normalized;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(CellValues::normalize).collect(Collectors.toList());
    }
    return value;
  }

  /** Equal, or both floating point within {@code tolerance} of each other (NaN matches NaN). */
  static boolean match(Object a, Object b, double tolerance) {
    if (a instanceof Double || a instanceof Float) {
      if (!(b instanceof Double || b instanceof Float)) {
        return false;
      }
      double x = ((Number) a).doubleValue();
      double y = ((Number) b).doubleValue();
      return Double.compare(x, y) == 0 || (Double.isNaN(x) && Double.isNaN(y)) || Math.abs(x - y) <= tolerance;
    }
    if (a instanceof List<?> xs && b instanceof List<?> ys) {
      if (xs.size() != ys.size()) {
        return false;
      }
      for (int i = 0; i < xs.size(); i++) {
        if (!match(xs.get(i), ys.get(i), tolerance)) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof Map<?, ?> xm && b instanceof Map<?, ?> ym) {
      if (!xm.keySet().equals(ym.keySet())) {
        return false;
      }
      return xm.entrySet().stream().allMatch(e -> match(e.getValue(), ym.get(e.getKey()), tolerance));
    }
    return a == null ? b == null : a.equals(b);
  }

  /** A cell as a person reads it: instants in UTC, strings quoted only when blanks would hide. */
  static String render(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof String s) {
      boolean ambiguous = s.isEmpty() || s.equals("null") || !s.strip().equals(s) || s.contains("|");
      return ambiguous ? "\"" + s + "\"" : s;
    }
    if (value instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (value instanceof Timestamp t) {
      return t.toInstant().toString();
    }
    if (value instanceof ByteBuffer bytes) {
      StringBuilder hex = new StringBuilder("0x");
      for (int i = bytes.position(); i < bytes.limit(); i++) {
        hex.append(String.format("%02x", bytes.get(i)));
      }
      return hex.toString();
    }
    if (value instanceof List<?> list) {
      return list.stream().map(CellValues::render).collect(Collectors.joining(", ", "[", "]"));
    }
    if (value instanceof Map<?, ?> map) {
      return map.entrySet().stream().map(e -> render(e.getKey()) + " -> " + render(e.getValue()))
          .collect(Collectors.joining(", ", "{", "}"));
    }
    return value.toString();
  }
}
