package io.groundcontrol.plan;

import java.util.List;

/**
 * Text written by users (names, keys, values) as it may appear in a one-line error. Line breaks
 * ({@code \n}, {@code \r}, U+0085, U+2028, U+2029), other control characters and invisible format
 * characters (bidi overrides, zero-width marks) are written as escapes such as {@code \n} and
 * {@code \u2028}, so that a name holding one neither breaks the error over lines nor disguises it.
 */
public final class OneLine {
  private OneLine() {}

  /** {@code text} with every character that could break or disguise a line escaped. */
  public static String escape(String text) {
    if (text == null || text.codePoints().noneMatch(OneLine::needsEscape)) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 8);
    text.codePoints().forEach(c -> {
      if (!needsEscape(c)) {
        out.appendCodePoint(c);
      } else if (c == '\n') {
        out.append("\\n");
      } else if (c == '\r') {
        out.append("\\r");
      } else if (c == '\t') {
        out.append("\\t");
      } else {
        for (char unit : Character.toChars(c)) {
          out.append(String.format("\\u%04x", (int) unit));
        }
      }
    });
    return out.toString();
  }

  /** Each of {@code lines}, escaped as by {@link #escape(String)}. */
  public static List<String> escapeEach(List<String> lines) {
    return lines.stream().map(OneLine::escape).toList();
  }

  private static boolean needsEscape(int c) {
    int type = Character.getType(c);
    return type == Character.CONTROL || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
        || type == Character.FORMAT;
  }
}
