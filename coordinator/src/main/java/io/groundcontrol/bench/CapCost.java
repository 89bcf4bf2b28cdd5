package io.groundcontrol.bench;

/**
 * Names of the cap-cost pairs: one scenario per in-flight count, measured as two rows, the same
 * plan uncapped and capped with a cap never reached, so the rows differ by the admission hops alone.
 */
final class CapCost {
  private CapCost() {}

  /** The scenario, as {@code --only} selects it: {@code capcost-n1}. */
  static String scenario(int inFlight) {
    return "capcost-n" + inFlight;
  }

  /** The row of the uncapped half. */
  static String uncapped(int inFlight) {
    return scenario(inFlight) + "-uncapped";
  }

  /** The row of the capped half. */
  static String capped(int inFlight) {
    return scenario(inFlight) + "-capped";
  }
}
