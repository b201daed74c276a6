package dev.stepwise.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;

/** Rows as a multiset, compared with {@code Row.equals}: exact, no tolerance, order ignored. */
final class RowCounts {
  private RowCounts() {}

  static Map<Row, Integer> of(List<Row> rows) {
    Map<Row, Integer> counts = new LinkedHashMap<>();
    for (Row row : rows) {
      counts.merge(row, 1, Integer::sum);
    }
    return counts;
  }

  /** Rows of {@code a} beyond those in {@code b}, each as often as it is in excess. */
  static List<Row> minus(Map<Row, Integer> a, Map<Row, Integer> b) {
    List<Row> excess = new ArrayList<>();
    a.forEach((row, count) -> {
      for (int i = b.getOrDefault(row, 0); i < count; i++) {
        excess.add(row);
      }
    });
    return excess;
  }
}
