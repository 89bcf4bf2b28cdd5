package io.groundcontrol.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Names of the cap-cost pairs: one scenario per in-flight count, measured as pairs of rows, the same
 * plan uncapped and capped with a cap never reached, so the rows differ by the admission hops alone.
 * The pair is measured {@link #ROUNDS} times, alternating, so that a drift of the machine's speed
 * during the run (JIT, other load) does not fall on one side only; the verdict takes the median of
 * the rounds' ratios.
 */
final class CapCost {
  /** Uncapped and capped windows alternate this many times. */
  static final int ROUNDS = 3;

  private CapCost() {}

  /** The scenario, as {@code --only} selects it: {@code capcost-n1}. */
  static String scenario(int inFlight) {
    return "capcost-n" + inFlight;
  }

  /** The row of the uncapped half of round {@code round} (from 1). */
  static String uncapped(int inFlight, int round) {
    return scenario(inFlight) + "-uncapped" + suffix(round);
  }

  /** The row of the capped half of round {@code round} (from 1). */
  static String capped(int inFlight, int round) {
    return scenario(inFlight) + "-capped" + suffix(round);
  }

  /** The median of {@code ratios}; for an even count, the mean of the middle two. */
  static double median(List<Double> ratios) {
    List<Double> sorted = new ArrayList<>(ratios);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static String suffix(int round) {
    return round == 1 ? "" : "-r" + round;
  }
}
