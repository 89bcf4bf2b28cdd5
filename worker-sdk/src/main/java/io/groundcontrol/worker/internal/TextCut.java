package io.groundcontrol.worker.internal;

import java.nio.charset.StandardCharsets;

/**
 * Cuts a failure's text to a size a report can carry. A report is one Kafka record: one too large
 * for the producer is never sent, and the coordinator keeps errors in its own records. The Python
 * SDK cuts alike.
 */
final class TextCut {
  /** The most UTF-8 bytes of a failure's message a report carries. */
  static final int MAX_MESSAGE_BYTES = 8 * 1024;
  /** The most UTF-8 bytes of a failure's detail (a stack trace) a report carries. */
  static final int MAX_DETAIL_BYTES = 64 * 1024;

  private TextCut() {}

  /**
   * {@code text} if it takes at most {@code maxBytes} in UTF-8; else its head and tail around
   * {@code [... N bytes cut ...]}, all within {@code maxBytes}, cut between characters. Null stays null.
   */
  static String cut(String text, int maxBytes) {
    if (text == null) {
      return null;
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= maxBytes) {
      return text;
    }
    // The marker's count has at most as many digits as the whole length.
    int room = maxBytes - marker(bytes.length).length();
    int headEnd = boundary(bytes, room / 2, -1);
    int tailStart = boundary(bytes, bytes.length - (room - room / 2), 1);
    return new String(bytes, 0, headEnd, StandardCharsets.UTF_8)
        + marker(bytes.length - headEnd - (bytes.length - tailStart))
        + new String(bytes, tailStart, bytes.length - tailStart, StandardCharsets.UTF_8);
  }

  private static String marker(long cut) {
    return "[... " + cut + " bytes cut ...]";
  }

  /** The nearest index from {@code at}, stepping by {@code step}, where a character begins. */
  private static int boundary(byte[] bytes, int at, int step) {
    int i = at;
    while (i > 0 && i < bytes.length && (bytes[i] & 0xC0) == 0x80) {
      i += step;
    }
    return i;
  }
}
