package io.groundcontrol.api;

/** CSV cells as RFC 4180 writes them. */
final class Csv {
  private Csv() {}

  static String cell(String value) {
    if (value == null) {
      return "";
    }
    boolean quote = value.indexOf(',') >= 0 || value.indexOf('"') >= 0 || value.indexOf('\n') >= 0
        || value.indexOf('\r') >= 0;
    return quote ? '"' + value.replace("\"", "\"\"") + '"' : value;
  }
}
