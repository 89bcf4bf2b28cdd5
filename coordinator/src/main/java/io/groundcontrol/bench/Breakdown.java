package io.groundcontrol.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * One scenario's hand-offs split into the segments of {@link HandoffTrace.Step}, in microseconds.
 * Means add up to the mean total; percentiles of the parts do not add up to the total's.
 *
 * @param segments from each step to the next; an empty histogram where a step was never stamped
 * @param pollShare share of the window the coordinator's stream thread spent in its consumer's poll; 0 where
 *     no poll was timed (under {@code group.protocol=streams} Kafka Streams builds its main consumer itself)
 * @param commitShare share of the window it spent committing (flush, offsets, commit), blocked; 0 where no
 *     commit was timed
 * @param sampleEvery the trace followed one mission in this many
 */
record Breakdown(
    String scenario, Histogram[] segments, Histogram total, double pollShare, double commitShare, int sampleEvery) {
  private static final String POLL_ROW = "stream thread: share of the window in poll";
  private static final String COMMIT_ROW = "stream thread: share of the window committing";

  long count() {
    return total.getTotalCount();
  }

  /** Labels of the rows: one per segment, then the total. */
  static List<String> rowLabels() {
    HandoffTrace.Step[] steps = HandoffTrace.Step.values();
    List<String> labels = new ArrayList<>();
    for (int i = 1; i < steps.length; i++) {
      labels.add(steps[i - 1].label + " -> " + steps[i].label);
    }
    labels.add("total: " + steps[0].label + " -> " + steps[steps.length - 1].label);
    labels.add(POLL_ROW);
    labels.add(COMMIT_ROW);
    return labels;
  }

  /** "mean / p50 / p99" in ms of row {@code row}, or a share in percent; "-" where nothing was recorded. */
  String cell(int row) {
    if (row == segments.length + 1) {
      return share(pollShare);
    }
    if (row == segments.length + 2) {
      return share(commitShare);
    }
    Histogram histogram = row < segments.length ? segments[row] : total;
    if (histogram.getTotalCount() == 0) {
      return "-";
    }
    return String.format(Locale.ROOT, "%.2f / %.2f / %.2f", histogram.getMean() / 1000.0,
        histogram.getValueAtPercentile(50) / 1000.0, histogram.getValueAtPercentile(99) / 1000.0);
  }

  private static String share(double share) {
    return share == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * share);
  }

  /** The breakdowns side by side, one column each, as aligned text or as Markdown. */
  static String table(List<Breakdown> breakdowns, boolean markdown) {
    List<String[]> rows = new ArrayList<>();
    String[] header = new String[breakdowns.size() + 1];
    header[0] = "hand-off segment (ms: mean / p50 / p99)";
    for (int c = 0; c < breakdowns.size(); c++) {
      Breakdown breakdown = breakdowns.get(c);
      header[c + 1] = breakdown.scenario() + " (" + breakdown.count()
          + (breakdown.sampleEvery() == 1 ? "" : ", 1 mission in " + breakdown.sampleEvery()) + ")";
    }
    rows.add(header);
    List<String> labels = rowLabels();
    for (int r = 0; r < labels.size(); r++) {
      String[] row = new String[breakdowns.size() + 1];
      row[0] = labels.get(r);
      for (int c = 0; c < breakdowns.size(); c++) {
        row[c + 1] = breakdowns.get(c).cell(r);
      }
      rows.add(row);
    }
    return markdown ? ResultTable.markdownRows(rows) : ResultTable.aligned(rows, false);
  }
}
