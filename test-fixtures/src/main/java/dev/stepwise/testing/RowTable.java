package dev.stepwise.testing;

import java.util.ArrayList;
import java.util.List;

/** Rows as an aligned text table under their column names, capped at a number of rows. */
final class RowTable {
  private RowTable() {}

  /**
   * @param labels one label per row printed in a first column (row numbers, sides), or null
   */
  static String render(List<String> columns, List<List<Object>> rows, List<String> labels, int max, String indent) {
    List<List<String>> cells = new ArrayList<>();
    List<String> header = new ArrayList<>();
    if (labels != null) {
      header.add("");
    }
    header.addAll(columns);
    cells.add(header);
    int shown = Math.min(max, rows.size());
    for (int i = 0; i < shown; i++) {
      List<String> line = new ArrayList<>();
      if (labels != null) {
        line.add(labels.get(i));
      }
      rows.get(i).forEach(v -> line.add(CellValues.render(v)));
      cells.add(line);
    }
    int[] widths = new int[header.size()];
    for (List<String> line : cells) {
      for (int c = 0; c < line.size(); c++) {
        widths[c] = Math.max(widths[c], line.get(c).length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (List<String> line : cells) {
      out.append(indent);
      for (int c = 0; c < line.size(); c++) {
        String cell = line.get(c);
        out.append(c == 0 ? "" : " | ").append(cell);
        if (c < line.size() - 1) {
          out.append(" ".repeat(widths[c] - cell.length()));
        }
      }
      out.append('\n');
    }
    if (rows.size() > shown) {
      out.append(indent).append("... and ").append(rows.size() - shown).append(" more\n");
    }
    return out.toString();
  }
}
