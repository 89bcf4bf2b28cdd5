package io.groundcontrol.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Runs a load until the JIT compiler is done with it and its throughput stops rising: compiling the
 * coordinator, the broker and the clients takes tens of seconds of CPU on a slow machine, and a
 * scenario measured before that measures the compiler. The rate and the JVM's compilation time are
 * sampled over fixed windows; the load counts as warm when the compiler used at most
 * {@link #COMPILING} of the last window and {@link #RISING_WINDOWS} windows in a row no longer beat
 * the best rate before them by more than {@link #GAIN}.
 */
final class WarmUp {
  /** A window must beat the best one before it by this fraction to count as still rising. */
  static final double GAIN = 0.05;
  /** Windows in a row that must stop rising. */
  static final int RISING_WINDOWS = 3;
  /** The share of a window the compiler may still use when the load counts as warm. */
  static final double COMPILING = 0.10;

  private final Duration window;
  private final Duration limit;

  /**
   * @param window how long each sample runs
   * @param limit the longest warm-up: a machine whose rate never settles is measured anyway
   */
  WarmUp(Duration window, Duration limit) {
    this.window = window;
    this.limit = limit;
  }

  /**
   * Samples {@code count} (a growing counter, e.g. stages finished) window after window until the
   * rate is steady or the limit is reached.
   *
   * @return what ended the warm-up, with the rates seen, for the progress line
   */
  String untilSteady(LongSupplier count) throws InterruptedException {
    CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
    LongSupplier compiling = compiler != null && compiler.isCompilationTimeMonitoringSupported()
        ? compiler::getTotalCompilationTime
        : () -> 0L;
    List<Double> rates = new ArrayList<>();
    long started = System.nanoTime();
    long last = count.getAsLong();
    long lastCompiling = compiling.getAsLong();
    while (true) {
      Thread.sleep(window.toMillis());
      long now = count.getAsLong();
      long nowCompiling = compiling.getAsLong();
      rates.add((now - last) * 1000.0 / window.toMillis());
      double compiled = (nowCompiling - lastCompiling) / (double) window.toMillis();
      last = now;
      lastCompiling = nowCompiling;
      boolean warm = compiled <= COMPILING && steady(rates);
      if (warm || System.nanoTime() - started >= limit.toNanos()) {
        return (warm ? "warm" : "still warming after " + limit.toSeconds() + " s") + ", " + rates.size()
            + " windows of " + window.toSeconds() + " s at " + describe(rates) + " stages/s, JIT compiling "
            + Math.round(compiled * 100) + "% of the last";
      }
    }
  }

  /** Whether the last {@link #RISING_WINDOWS} rates each failed to beat every rate before them by {@link #GAIN}. */
  static boolean steady(List<Double> rates) {
    if (rates.size() <= RISING_WINDOWS) {
      return false;
    }
    for (int i = rates.size() - RISING_WINDOWS; i < rates.size(); i++) {
      double best = rates.subList(0, i).stream().mapToDouble(Double::doubleValue).max().orElseThrow();
      if (rates.get(i) > best * (1 + GAIN)) {
        return false;
      }
    }
    return true;
  }

  private static String describe(List<Double> rates) {
    List<String> texts = new ArrayList<>();
    for (double rate : rates) {
      texts.add(String.format(Locale.ROOT, "%,.0f", rate));
    }
    return String.join(", ", texts);
  }
}
