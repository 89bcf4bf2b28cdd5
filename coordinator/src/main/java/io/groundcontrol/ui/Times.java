package io.groundcontrol.ui;

/** Times as the pages show them. */
final class Times {
  private Times() {}

  /** An ISO-8601 instant as {@code 2026-12-01 13:42:17.123}, in UTC, for tables; null stays null. */
  static String shortTime(String iso) {
    return iso == null ? null : iso.replace('T', ' ').replace("Z", "");
  }
}
