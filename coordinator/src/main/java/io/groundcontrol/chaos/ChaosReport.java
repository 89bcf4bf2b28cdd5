package io.groundcontrol.chaos;

import io.groundcontrol.audit.TextTable;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Prints what chaos runs found, one column per run. */
public final class ChaosReport {
  private ChaosReport() {}

  /** Prints the results side by side: a row per measure, a column per fault. */
  public static void print(List<ChaosRun.Result> results, PrintStream out) {
    List<List<String>> rows = new ArrayList<>();
    List<String> header = new ArrayList<>(List.of("fault"));
    results.forEach(r -> header.add(r.fault().label()));
    rows.add(header);
    if (results.stream().anyMatch(r -> r.parked() > 0)) {
      row(rows, results, "parked missions (stored, waiting)", r -> String.format(Locale.ROOT, "%,d", r.parked()));
    }
    boolean several = results.stream().anyMatch(r -> r.coordinators().count() > 1);
    if (several) {
      row(rows, results, "coordinator instances", r -> String.format(Locale.ROOT, "%d (%d partitions, %d standby)",
          r.coordinators().count(), r.coordinators().partitions(), r.coordinators().standbyReplicas()));
      row(rows, results, "instance struck (its mission partitions)", r -> r.strike()
          .map(s -> s.instance() + " " + s.partitions()).orElse("-"));
    }
    row(rows, results, "missions started", r -> Integer.toString(r.tally().started()));
    row(rows, results, "ended FINISHED", r -> Integer.toString(r.tally().ended("FINISHED")));
    row(rows, results, "ended FAILED", r -> Integer.toString(r.tally().ended("FAILED")));
    row(rows, results, "ended CANCELLED", r -> Integer.toString(r.tally().ended("CANCELLED")));
    row(rows, results, "never ended (lost)", r -> Integer.toString(r.tally().neverEnded().size()));
    row(rows, results, "started twice", r -> Integer.toString(r.tally().startedTwice()));
    row(rows, results, "ended twice", r -> Integer.toString(r.tally().endedTwice()));
    row(rows, results, "attempts dispatched twice", r -> Integer.toString(r.tally().dispatchedTwice()));
    row(rows, results, "sequence gaps", r -> Integer.toString(r.tally().sequenceGaps()));
    row(rows, results, "finish reports in time, rejected", r -> Integer.toString(r.tally().rejectedInTime()));
    row(rows, results, "fault to recovery", r -> seconds(r.faultToRecovery()));
    row(rows, results, "fault to all ended", r -> seconds(r.faultToAllEnded()));
    if (several) {
      row(rows, results, "fault to recovery of its missions", r -> seconds(r.faultToVictimRecovery()));
      row(rows, results, "others' missions: longest report wait", r -> seconds(r.othersLongestReportWait()));
      row(rows, results, "mission partitions by instance after", r -> r.strike()
          .map(s -> byInstance(s.after()) + (s.afterSettled() ? "" : " (rebalancing)"))
          .orElse("-"));
      row(rows, results, "other instances: state rebuilt", r -> r.survivorsRebuild().map(ChaosReport::rebuilt)
          .orElse("-"));
      row(rows, results, "instances that stopped by themselves", r -> r.stoppedSurvivors().isEmpty() ? "none"
          : r.stoppedSurvivors().toString());
    }
    if (results.stream().anyMatch(r -> r.rebuild().isPresent())) {
      row(rows, results, "restarted coordinator: state rebuilt", r -> r.rebuild().map(ChaosReport::rebuilt).orElse("-"));
    }
    row(rows, results, "verdict", r -> r.broken() ? "BROKEN" : "ok");
    TextTable.print(rows, out);
    for (ChaosRun.Result result : results) {
      if (!result.tally().failureReasons().isEmpty()) {
        out.println("Failed attempts with fault " + result.fault() + ", by reason: " + result.tally().failureReasons());
      }
      if (!result.tally().neverEnded().isEmpty()) {
        out.println("Never ended with fault " + result.fault() + ", e.g. "
            + result.tally().neverEnded().stream().limit(5).toList());
      }
    }
  }

  private static void row(List<List<String>> rows, List<ChaosRun.Result> results, String label,
      java.util.function.Function<ChaosRun.Result, String> cell) {
    List<String> row = new ArrayList<>(List.of(label));
    results.forEach(r -> row.add(cell.apply(r)));
    rows.add(row);
  }

  private static String rebuilt(StateRebuild rebuild) {
    return rebuild.records() == 0 ? "nothing"
        : String.format(Locale.ROOT, "%,d records in %.1f s", rebuild.records(), rebuild.took().toMillis() / 1000.0);
  }

  /** {@code 1:[0, 3] 2:[1, 2]}. */
  private static String byInstance(Map<Integer, Set<Integer>> partitions) {
    return partitions.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue())
        .collect(Collectors.joining(" "));
  }

  private static String seconds(Optional<Duration> duration) {
    return duration.map(d -> String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0)).orElse("-");
  }
}
