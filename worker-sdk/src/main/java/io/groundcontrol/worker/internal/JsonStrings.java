package io.groundcontrol.worker.internal;

/** JSON string quoting, by hand, so that the SDK needs no JSON library for string params and outputs. */
public final class JsonStrings {
  private JsonStrings() {}

  /** {@code value} as a JSON string literal, quotes included. */
  public static String quote(String value) {
    StringBuilder out = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"': out.append("\\\""); break;
        case '\\': out.append("\\\\"); break;
        case '\b': out.append("\\b"); break;
        case '\f': out.append("\\f"); break;
        case '\n': out.append("\\n"); break;
        case '\r': out.append("\\r"); break;
        case '\t': out.append("\\t"); break;
        default:
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
      }
    }
    return out.append('"').toString();
  }

  /**
   * The value of {@code jsonText} if it is a JSON string literal (surrounding whitespace allowed),
   * else {@code jsonText} unchanged: numbers, objects, plain words and malformed literals alike.
   */
  public static String unquoteOrSelf(String jsonText) {
    String text = jsonText.strip();
    if (text.length() < 2 || text.charAt(0) != '"' || text.charAt(text.length() - 1) != '"') {
      return jsonText;
    }
    StringBuilder out = new StringBuilder(text.length());
    int end = text.length() - 1;
    for (int i = 1; i < end; i++) {
      char c = text.charAt(i);
      if (c == '"' || c < 0x20) {
        return jsonText;
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (++i >= end) {
        return jsonText;
      }
      char escaped = text.charAt(i);
      switch (escaped) {
        case '"': case '\\': case '/': out.append(escaped); break;
        case 'b': out.append('\b'); break;
        case 'f': out.append('\f'); break;
        case 'n': out.append('\n'); break;
        case 'r': out.append('\r'); break;
        case 't': out.append('\t'); break;
        case 'u':
          if (i + 4 >= end) {
            return jsonText;
          }
          int code = 0;
          for (int k = 1; k <= 4; k++) {
            int digit = Character.digit(text.charAt(i + k), 16);
            if (digit < 0) {
              return jsonText;
            }
            code = code * 16 + digit;
          }
          out.append((char) code);
          i += 4;
          break;
        default:
          return jsonText;
      }
    }
    return out.toString();
  }
}
