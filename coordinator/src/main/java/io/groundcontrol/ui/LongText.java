package io.groundcontrol.ui;

/**
 * Values as parts that redraw themselves show them: an output may take 64 KiB (up to 768 KiB) and
 * a mission's params 256 KiB, which a part redrawn every second would carry whole each time.
 */
final class LongText {
  static final int SHOWN_CHARS = 300;

  private LongText() {}

  /** {@code text} as it is, or its first characters and its length in all. */
  static String cut(String text) {
    if (text == null || text.length() <= SHOWN_CHARS) {
      return text;
    }
    return text.substring(0, SHOWN_CHARS) + "… (" + Timeline.count(text.length()) + " characters)";
  }
}
