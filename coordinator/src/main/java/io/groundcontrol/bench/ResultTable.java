package io.groundcontrol.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Prints measurements as an aligned table for the terminal, or as Markdown for BENCHMARKS.md. */
final class ResultTable {
  private static final String[] HEADER = {
    "scenario", "completions/s", "coord rec/s", "handoff p50 ms", "p95", "p99", "stamps p50/p99 ms",
    "CPU us/rec", "alloc B/rec", "bench cores", "other cores", "failed", "setup and notes"
  };

  private ResultTable() {}

  static void print(List<Measurement> rows, PrintStream out) {
    out.print(aligned(cells(rows), true));
  }

  static String markdown(List<Measurement> rows) {
    return markdownRows(cells(rows));
  }

  /**
   * Rows as aligned text: the first column left-aligned, the others right-aligned, except a last
   * column of free text if {@code lastIsText} (left as it is). The first row is the header.
   */
  static String aligned(List<String[]> cells, boolean lastIsText) {
    int[] widths = new int[cells.get(0).length];
    for (String[] row : cells) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] row : cells) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        boolean last = i == row.length - 1;
        String cell = last && lastIsText ? row[i]
            : String.format(i == 0 ? "%-" + widths[i] + "s" : "%" + widths[i] + "s", row[i]);
        line.append(i == 0 ? "" : "  ").append(cell);
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }

  /** Rows as a Markdown table; the first row is the header. */
  static String markdownRows(List<String[]> cells) {
    StringBuilder md = new StringBuilder();
    for (int r = 0; r < cells.size(); r++) {
      md.append("| ").append(String.join(" | ", cells.get(r))).append(" |\n");
      if (r == 0) {
        md.append("|").append("---|".repeat(cells.get(0).length)).append("\n");
      }
    }
    return md.toString();
  }

  private static List<String[]> cells(List<Measurement> rows) {
    List<String[]> cells = new ArrayList<>();
    cells.add(HEADER);
    for (Measurement m : rows) {
      cells.add(new String[] {
        m.scenario(),
        whole(m.completionsPerS()),
        whole(m.recordsPerS()),
        millis(m.handoffMillis(50)),
        millis(m.handoffMillis(95)),
        millis(m.handoffMillis(99)),
        Double.isNaN(m.stampMillis(50)) ? "-" : whole(m.stampMillis(50)) + "/" + whole(m.stampMillis(99)),
        oneDecimal(m.cpuMicrosPerRecord()),
        whole(m.allocBytesPerRecord()),
        String.format(Locale.ROOT, "%.2f", m.jvmCores()),
        Double.isNaN(m.otherCores()) ? "-" : String.format(Locale.ROOT, "%.2f", m.otherCores()),
        Long.toString(m.failures()),
        m.setup() + (m.note().isEmpty() ? "" : "; " + m.note())
      });
    }
    return cells;
  }

  static String whole(double value) {
    return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%,d", Math.round(value));
  }

  static String millis(double value) {
    return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.2f", value);
  }

  static String oneDecimal(double value) {
    return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.1f", value);
  }
}
