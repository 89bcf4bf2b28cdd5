package io.groundcontrol.bench;

/**
 * Names of the cap-cost pairs: one scenario per in-flight count, measured as pairs of rows, the same
 * plan uncapped and capped with a cap never reached, so the rows differ by the admission hops alone.
 * The pair is measured {@link #ROUNDS} times, alternating ({@link Rounds}).
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
    return Rounds.row(scenario(inFlight) + "-uncapped", round);
  }

  /** The row of the capped half of round {@code round} (from 1). */
  static String capped(int inFlight, int round) {
    return Rounds.row(scenario(inFlight) + "-capped", round);
  }
}
