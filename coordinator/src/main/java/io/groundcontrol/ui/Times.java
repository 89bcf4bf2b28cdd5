package io.groundcontrol.ui;

import java.time.Duration;
import java.util.Locale;

/** Times as the pages show them. */
final class Times {
  private Times() {}

  /** An ISO-8601 instant as {@code 2026-12-01 13:42:17.123}, in UTC, for tables; null stays null. */
  static String shortTime(String iso) {
    return iso == null ? null : iso.replace('T', ' ').replace("Z", "");
  }

  /** A duration as {@code 1.204 s} or, when clocks disagree, {@code -0.500 s}. */
  static String duration(Duration d) {
    Duration size = d.abs();
    return String.format(Locale.ROOT, "%s%d.%03d s", d.isNegative() ? "-" : "", size.toSeconds(), size.toMillisPart());
  }
}
