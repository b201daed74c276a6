package dev.stepwise.testing;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.opentest4j.AssertionFailedError;

/**
 * Assertions on whole Datasets: schema first, then rows, and on failure a diff a person reads at
 * a glance: which columns differ, which expected rows are missing, which rows were not expected.
 *
 * <pre>{@code
 * assertDatasetEquals(expected, actual);                                   // any row order
 * assertDatasetEquals(expected, actual, DatasetComparison.DEFAULT.ordered());
 * }</pre>
 *
 * <p>Both Datasets are collected to the driver: these are for the small data of tests.
 */
public final class DatasetAssertions {
  /** Rows rendered into the expected/actual texts an IDE shows side by side. */
  private static final int MAX_ROWS_FOR_IDE_DIFF = 1_000;

  private DatasetAssertions() {}

  /** Same schema (names, types, nullability, column order) and the same rows in any order. */
  public static void assertDatasetEquals(Dataset<Row> expected, Dataset<Row> actual) {
    assertDatasetEquals(expected, actual, DatasetComparison.DEFAULT);
  }

  /** As {@link #assertDatasetEquals(Dataset, Dataset, DatasetComparison)}, the failure led by {@code message}. */
  public static void assertDatasetEquals(Dataset<Row> expected, Dataset<Row> actual, DatasetComparison how,
      String message) {
    try {
      assertDatasetEquals(expected, actual, how);
    } catch (AssertionFailedError e) {
      AssertionFailedError led = new AssertionFailedError(message + " ==> " + e.getMessage(),
          e.getExpected() == null ? null : e.getExpected().getValue(),
          e.getActual() == null ? null : e.getActual().getValue());
      led.setStackTrace(e.getStackTrace());
      throw led;
    }
  }

  public static void assertDatasetEquals(Dataset<Row> expected, Dataset<Row> actual, DatasetComparison how) {
    assertSchemaEquals(expected.schema(), actual.schema(), how);
    List<String> columns = Arrays.asList(expected.schema().fieldNames());
    Dataset<Row> aligned = how.ignoreColumnOrder()
        ? actual.select(columns.stream().map(c -> functions.col("`" + c + "`")).toArray(Column[]::new))
        : actual;
    List<List<Object>> want = collect(expected);
    List<List<Object>> got = collect(aligned);
    String problem = how.inOrder() ? orderedDiff(columns, want, got, how) : unorderedDiff(columns, want, got, how);
    if (problem != null) {
      throw new AssertionFailedError(problem, table(columns, want, how), table(columns, got, how));
    }
  }

  /** Names, types, nullability and column order, as {@code how} says. */
  public static void assertSchemaEquals(StructType expected, StructType actual, DatasetComparison how) {
    List<String> problems = SchemaDiff.between(expected, actual, how);
    if (!problems.isEmpty()) {
      throw new AssertionFailedError("Dataset schemas differ (rows not compared):\n"
          + problems.stream().map(p -> "  - " + p + "\n").collect(Collectors.joining())
          + "expected schema: " + expected.toDDL() + "\n"
          + "actual schema:   " + actual.toDDL(), expected.toDDL(), actual.toDDL());
    }
  }

  public static void assertSchemaEquals(StructType expected, StructType actual) {
    assertSchemaEquals(expected, actual, DatasetComparison.DEFAULT);
  }

  private static List<List<Object>> collect(Dataset<Row> data) {
    return data.collectAsList().stream().map(CellValues::of).collect(Collectors.toList());
  }

  private static String unorderedDiff(List<String> columns, List<List<Object>> want, List<List<Object>> got,
      DatasetComparison how) {
    Map<List<Object>, Deque<List<Object>>> unmatched = new HashMap<>();
    want.forEach(row -> unmatched.computeIfAbsent(row, k -> new ArrayDeque<>()).add(row));
    List<List<Object>> unexpected = new ArrayList<>();
    for (List<Object> row : got) {
      Deque<List<Object>> same = unmatched.get(row);
      if (same == null || same.isEmpty()) {
        unexpected.add(row);
      } else {
        same.pop();
      }
    }
    List<List<Object>> missing = unmatched.values().stream().flatMap(Deque::stream).collect(Collectors.toList());
    if (how.doubleTolerance() > 0) {
      // Rows equal but for floating point noise: pair them up one to one.
      for (Iterator<List<Object>> it = missing.iterator(); it.hasNext();) {
        List<Object> row = it.next();
        for (Iterator<List<Object>> candidates = unexpected.iterator(); candidates.hasNext();) {
          if (CellValues.match(row, candidates.next(), how.doubleTolerance())) {
            candidates.remove();
            it.remove();
            break;
          }
        }
      }
    }
    if (missing.isEmpty() && unexpected.isEmpty()) {
      return null;
    }
    sortForReading(missing);
    sortForReading(unexpected);
    StringBuilder out = new StringBuilder("Datasets differ (row order ignored): ")
        .append(count(missing.size(), "expected row")).append(" missing, ")
        .append(count(unexpected.size(), "unexpected row")).append("; ")
        .append(count(want.size() - missing.size(), "row")).append(" matched (expected ")
        .append(count(want.size(), "row")).append(", actual ").append(got.size()).append(")\n");
    if (!missing.isEmpty()) {
      out.append("missing: expected but not found (").append(missing.size()).append(")\n")
          .append(RowTable.render(columns, missing, null, how.maxRowsShown(), "  "));
    }
    if (!unexpected.isEmpty()) {
      out.append("unexpected: found but not expected (").append(unexpected.size()).append(")\n")
          .append(RowTable.render(columns, unexpected, null, how.maxRowsShown(), "  "));
    }
    return out.toString().stripTrailing();
  }

  private static String orderedDiff(List<String> columns, List<List<Object>> want, List<List<Object>> got,
      DatasetComparison how) {
    List<List<Object>> rows = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    int differing = 0;
    for (int i = 0; i < Math.max(want.size(), got.size()); i++) {
      List<Object> w = i < want.size() ? want.get(i) : null;
      List<Object> g = i < got.size() ? got.get(i) : null;
      if (w != null && g != null && CellValues.match(w, g, how.doubleTolerance())) {
        continue;
      }
      differing++;
      if (differing > how.maxRowsShown()) {
        continue;
      }
      if (w != null) {
        rows.add(w);
        labels.add("row " + i + " expected");
      }
      if (g != null) {
        rows.add(g);
        labels.add((w == null ? "row " + i + " " : " ".repeat(("row " + i + " ").length())) + "actual");
      }
    }
    if (differing == 0) {
      return null;
    }
    return ("Datasets differ (in order): " + count(differing, "row") + " differ (expected "
        + count(want.size(), "row") + ", actual " + got.size() + "); rows numbered from 0\n"
        + RowTable.render(columns, rows, labels, rows.size(), "  ")
        + (differing > how.maxRowsShown() ? "  ... and " + (differing - how.maxRowsShown()) + " more\n" : ""))
        .stripTrailing();
  }

  private static void sortForReading(List<List<Object>> rows) {
    rows.sort(Comparator.comparing(CellValues::render));
  }

  private static String table(List<String> columns, List<List<Object>> rows, DatasetComparison how) {
    List<List<Object>> shown = new ArrayList<>(rows);
    if (!how.inOrder()) {
      sortForReading(shown);
    }
    return RowTable.render(columns, shown, null, MAX_ROWS_FOR_IDE_DIFF, "");
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
