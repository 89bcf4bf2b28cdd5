package io.groundcontrol.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Windows measured in alternating rounds, so that a drift of the machine's speed during the run (JIT,
 * other load, the host's hour) does not fall on one side of a comparison only: the rows of the
 * first round keep the scenario's plain name, later ones end in {@code -r2}, {@code -r3}, and a
 * verdict takes the median of the rounds' ratios.
 */
final class Rounds {
  private Rounds() {}

  /** The row name of {@code scenario} in round {@code round} (from 1). */
  static String row(String scenario, int round) {
    return round == 1 ? scenario : scenario + "-r" + round;
  }

  /** The median of {@code ratios}; for an even count, the mean of the middle two. */
  static double median(List<Double> ratios) {
    List<Double> sorted = new ArrayList<>(ratios);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
