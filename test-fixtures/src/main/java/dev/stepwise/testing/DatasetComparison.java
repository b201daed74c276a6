package dev.stepwise.testing;

/**
 * How {@link DatasetAssertions} compares two Datasets. Start from {@link #DEFAULT} (row order
 * ignored, schemas compared exactly, doubles compared exactly) and relax what the test does not
 * care about:
 *
 * <pre>{@code
 * assertDatasetEquals(expected, actual, DatasetComparison.DEFAULT.ignoringNullability().withDoubleTolerance(1e-9));
 * }</pre>
 *
 * @param inOrder rows must come in the same order (for a step that promises a sort)
 * @param ignoreNullability a nullable column equals a NOT NULL one of the same type, at any depth
 * @param ignoreColumnOrder columns are matched by name; rows are compared in the expected order
 * @param doubleTolerance doubles and floats match when they differ by at most this much (absolute)
 * @param maxRowsShown rows listed per kind of difference in a failure message
 */
public record DatasetComparison(
    boolean inOrder,
    boolean ignoreNullability,
    boolean ignoreColumnOrder,
    double doubleTolerance,
    int maxRowsShown) {

  public static final DatasetComparison DEFAULT = new DatasetComparison(false, false, false, 0.0, 20);

  public DatasetComparison {
    if (!(doubleTolerance >= 0.0)) {
      throw new IllegalArgumentException("doubleTolerance must be zero or more, got " + doubleTolerance);
    }
    if (maxRowsShown < 1) {
      throw new IllegalArgumentException("maxRowsShown must be at least 1, got " + maxRowsShown);
    }
  }

  public DatasetComparison ordered() {
    return new DatasetComparison(true, ignoreNullability, ignoreColumnOrder, doubleTolerance, maxRowsShown);
  }

  public DatasetComparison ignoringNullability() {
    return new DatasetComparison(inOrder, true, ignoreColumnOrder, doubleTolerance, maxRowsShown);
  }

  public DatasetComparison ignoringColumnOrder() {
    return new DatasetComparison(inOrder, ignoreNullability, true, doubleTolerance, maxRowsShown);
  }

  public DatasetComparison withDoubleTolerance(double tolerance) {
    return new DatasetComparison(inOrder, ignoreNullability, ignoreColumnOrder, tolerance, maxRowsShown);
  }

  public DatasetComparison showingAtMost(int rows) {
    return new DatasetComparison(inOrder, ignoreNullability, ignoreColumnOrder, doubleTolerance, rows);
  }
}
