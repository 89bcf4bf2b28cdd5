package io.groundcontrol.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The targets of issues 5 and 16, each met or missed, and the one {@code RESULT} line for scripts:
 * throughput is the best linear scenario, hand-off the one with one mission in flight, the raw
 * ratio compares that best scenario's input records per second with the raw baseline's, and the
 * floor ratio that hand-off's p50 with the exactly-once ping-pong's ({@link PingPongFloor}).
 */
final class Summary {
  /** A row of a round after the first: {@code plan-10k-r2}. */
  private static final Pattern ROUND_SUFFIX = Pattern.compile("-r\\d+$");

  private final List<Measurement> results;

  Summary(List<Measurement> results) {
    this.results = List.copyOf(results);
  }

  void printTargets(PrintStream out) {
    out.println();
    out.println("Targets:");
    best().ifPresent(m -> verdict(out, m.completionsPerS() >= 10_000,
        String.format(Locale.ROOT, ">= 10,000 stage completions/s: %,.0f (%s)", m.completionsPerS(), m.scenario())));
    find("linear3-n256").ifPresent(m -> verdict(out, m.completionsPerS() >= 15_000,
        String.format(Locale.ROOT, ">= 15,000 stage completions/s at 256 in flight: %,.0f", m.completionsPerS())));
    best().ifPresent(m -> find("raw-baseline").ifPresent(raw -> verdict(out,
        m.completionsPerS() >= 0.25 * raw.recordsPerS(), String.format(Locale.ROOT,
            "completions/s >= 0.25 of the raw store loop's records/s: %,.0f / %,.0f = %.3f (%s)",
            m.completionsPerS(), raw.recordsPerS(), m.completionsPerS() / raw.recordsPerS(), m.scenario()))));
    find("linear3-n1").ifPresent(m -> {
      verdict(out, m.handoffMillis(50) <= 1.5,
          String.format(Locale.ROOT, "hand-off p50 <= 1.5 ms with 1 in flight: %.2f ms", m.handoffMillis(50)));
      verdict(out, m.handoffMillis(50) <= 2.5,
          String.format(Locale.ROOT, "hand-off p50 <= 2.5 ms with 1 in flight: %.2f ms", m.handoffMillis(50)));
      find("floor").ifPresent(floor -> verdict(out, m.handoffMillis(50) <= 1.3 * floor.handoffMillis(50),
          String.format(Locale.ROOT, "hand-off p50 <= 1.3 x the exactly-once floor of this run: %.2f / %.2f ms = x%.2f",
              m.handoffMillis(50), floor.handoffMillis(50), m.handoffMillis(50) / floor.handoffMillis(50))));
      verdict(out, m.handoffMillis(99) <= 8,
          String.format(Locale.ROOT, "hand-off p99 <= 8 ms with 1 in flight: %.2f ms", m.handoffMillis(99)));
    });
    find("linear3-n64").ifPresent(m -> verdict(out, m.handoffMillis(99) <= 30,
        String.format(Locale.ROOT, "hand-off p99 <= 30 ms with 64 in flight: %.2f ms", m.handoffMillis(99))));
    for (int inFlight : Benchmark.CAP_COST_IN_FLIGHT) {
      capCost(out, inFlight);
    }
    flatness(out, "stored-", "cost per transition flat over stored missions");
    planSizes(out);
    flatness(out, "fanout-", "cost per chunk independent of the chunk count");
    fanIn(out);
  }

  /**
   * Compares a transition of the 500-wide join with one of the 3-stage linear plan at 64 in flight:
   * the wide plan keeps hundreds of stages in flight, so a loaded linear window is its fair peer. A
   * join's readiness read again at every completion made it x7 (session of 2026-12-04, 15:55).
   */
  private void fanIn(PrintStream out) {
    find("wide500-n4").ifPresent(wide -> find("linear3-n64").ifPresent(linear -> {
      double ratio = wide.cpuMicrosPerRecord() / linear.cpuMicrosPerRecord();
      verdict(out, ratio <= 1.25, String.format(Locale.ROOT,
          "cost per transition independent of fan-in: %.1f us CPU/record at %s, %.1f at %s (x%.2f)",
          wide.cpuMicrosPerRecord(), wide.scenario(), linear.cpuMicrosPerRecord(), linear.scenario(), ratio));
    }));
  }

  /**
   * Compares the hand-off through a cap that is never reached with the uncapped one of the same
   * round: the cost of the admission hops alone. Target: the median of the rounds' p50 ratios at
   * most 2.
   */
  private void capCost(PrintStream out, int inFlight) {
    List<String> rounds = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    for (int round = 1; round <= CapCost.ROUNDS; round++) {
      Optional<Measurement> uncapped = find(CapCost.uncapped(inFlight, round));
      Optional<Measurement> capped = find(CapCost.capped(inFlight, round));
      if (uncapped.isEmpty() || capped.isEmpty()) {
        continue;
      }
      double ratio = capped.get().handoffMillis(50) / uncapped.get().handoffMillis(50);
      ratios.add(ratio);
      rounds.add(String.format(Locale.ROOT, "%.2f/%.2f vs %.2f/%.2f ms (x%.2f)", capped.get().handoffMillis(50),
          capped.get().handoffMillis(99), uncapped.get().handoffMillis(50), uncapped.get().handoffMillis(99), ratio));
    }
    if (ratios.isEmpty()) {
      return;
    }
    double median = Rounds.median(ratios);
    verdict(out, median <= 2, String.format(Locale.ROOT,
        "hand-off p50 through a cap <= 2x uncapped, %d in flight: median x%.2f; capped p50/p99 vs uncapped by round: %s",
        inFlight, median, String.join(", ", rounds)));
  }

  /**
   * Compares CPU per record of each plan size with the smallest plan of the same round, and judges
   * the median of the rounds' ratios: within 25% counts as independent of plan size.
   */
  private void planSizes(PrintStream out) {
    List<String> sizes = results.stream().map(Measurement::scenario)
        .filter(name -> name.startsWith("plan-") && !ROUND_SUFFIX.matcher(name).find()).toList();
    if (sizes.size() < 2) {
      return;
    }
    String smallest = sizes.get(0);
    List<String> medians = new ArrayList<>();
    List<String> byRound = new ArrayList<>();
    boolean met = true;
    for (String size : sizes.subList(1, sizes.size())) {
      List<Double> ratios = new ArrayList<>();
      for (int round = 1; ; round++) {
        Optional<Measurement> base = find(Rounds.row(smallest, round));
        Optional<Measurement> larger = find(Rounds.row(size, round));
        if (base.isEmpty() || larger.isEmpty()) {
          break;
        }
        ratios.add(larger.get().cpuMicrosPerRecord() / base.get().cpuMicrosPerRecord());
      }
      if (ratios.isEmpty()) {
        continue;
      }
      double median = Rounds.median(ratios);
      met &= median <= 1.25;
      medians.add(String.format(Locale.ROOT, "x%.2f at %s", median, size));
      byRound.add(size + " " + String.join(", ", ratios.stream().map(r -> String.format(Locale.ROOT, "x%.2f", r)).toList()));
    }
    if (medians.isEmpty()) {
      return;
    }
    List<String> rows = new ArrayList<>();
    results.stream().filter(m -> m.scenario().startsWith("plan-")).forEach(m -> rows.add(
        String.format(Locale.ROOT, "%s %.1f", m.scenario(), m.cpuMicrosPerRecord())));
    verdict(out, met, String.format(Locale.ROOT,
        "cost per transition independent of plan size: median against %s of the same round %s (by round: %s;"
            + " us CPU/record: %s)", smallest, String.join(", ", medians), String.join("; ", byRound),
        String.join(", ", rows)));
  }

  /** Compares CPU per record of the first and last scenario of a series; within 25% counts as flat. */
  private void flatness(PrintStream out, String prefix, String target) {
    List<Measurement> series = results.stream().filter(m -> m.scenario().startsWith(prefix)).toList();
    if (series.size() < 2) {
      return;
    }
    Measurement first = series.get(0);
    Measurement last = series.get(series.size() - 1);
    double growth = last.cpuMicrosPerRecord() / first.cpuMicrosPerRecord();
    verdict(out, growth <= 1.25, String.format(Locale.ROOT,
        "%s: %.1f us CPU/record at %s, %.1f at %s (x%.2f); %,.0f vs %,.0f completions/s", target,
        first.cpuMicrosPerRecord(), first.scenario(), last.cpuMicrosPerRecord(), last.scenario(), growth,
        first.completionsPerS(), last.completionsPerS()));
  }

  private static void verdict(PrintStream out, boolean met, String what) {
    out.println("  " + (met ? "MET    " : "MISSED ") + what);
  }

  /** The line scripts read; NaN for what this run did not measure. */
  String resultLine() {
    double completions = best().map(Measurement::completionsPerS).orElse(Double.NaN);
    double p50 = find("linear3-n1").map(m -> m.handoffMillis(50)).orElse(Double.NaN);
    double p99 = find("linear3-n1").map(m -> m.handoffMillis(99)).orElse(Double.NaN);
    double raw = find("raw-baseline").map(Measurement::recordsPerS).orElse(Double.NaN);
    double ratio = best().map(m -> m.recordsPerS() / raw).orElse(Double.NaN);
    double floor = find("floor").map(m -> m.handoffMillis(50)).orElse(Double.NaN);
    return String.format(Locale.ROOT, "RESULT completions_per_s=%.0f handoff_p50_ms=%.2f handoff_p99_ms=%.2f raw_ratio=%.3f"
            + " floor_p50_ms=%.2f floor_ratio=%.2f",
        completions, p50, p99, ratio, floor, p50 / floor);
  }

  private Optional<Measurement> best() {
    return results.stream().filter(linear()).max(Comparator.comparingDouble(Measurement::completionsPerS));
  }

  private static Predicate<Measurement> linear() {
    return m -> m.scenario().startsWith("linear3-n");
  }

  private Optional<Measurement> find(String scenario) {
    return results.stream().filter(m -> m.scenario().equals(scenario)).findFirst();
  }
}
