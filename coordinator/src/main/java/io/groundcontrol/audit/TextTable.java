package io.groundcontrol.audit;

import java.io.PrintStream;
import java.util.List;

/** Prints rows as aligned columns; the last column is not padded, so long details do not widen the others. */
public final class TextTable {
  private TextTable() {}

  /** Prints {@code rows}, all of the same length, to {@code out}. */
  public static void print(List<List<String>> rows, PrintStream out) {
    int columns = rows.get(0).size();
    int[] widths = new int[columns];
    for (List<String> row : rows) {
      for (int i = 0; i < columns - 1; i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        String cell = row.get(i);
        line.append(cell);
        if (i < columns - 1) {
          line.append(" ".repeat(widths[i] - cell.length() + 2));
        }
      }
      out.println(line.toString().stripTrailing());
    }
  }
}
