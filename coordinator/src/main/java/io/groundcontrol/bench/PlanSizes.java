package io.groundcontrol.bench;

/**
 * Names of the plan-size windows: the series of plan sizes, each in an installation of its own, is
 * measured {@link #ROUNDS} times over in a full run, and the verdict compares each size with the
 * smallest plan of the same round ({@link Rounds}). One series alone swung between x1.18 and x1.33
 * from one size to the next in a slow hour (session of 2026-12-05, 06:24), where 1,000 and 10,000
 * stages cost the same work.
 */
final class PlanSizes {
  /** The series runs this many times in a full run, once in a quick one. */
  static final int ROUNDS = 3;

  private PlanSizes() {}

  /** The scenario, as {@code --only} selects it: {@code plan-10k}. */
  static String scenario(int stages) {
    return "plan-" + Benchmark.count(stages);
  }

  /** The row of {@code stages} in round {@code round} (from 1). */
  static String row(int stages, int round) {
    return Rounds.row(scenario(stages), round);
  }
}
