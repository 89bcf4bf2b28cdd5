package io.groundcontrol.cli;

import java.util.Map;
import java.util.StringJoiner;

/**
 * A stage's outputs as a line for people shows them, {@code {name=value, ...}}: a value longer than
 * {@link #SHOWN_CHARS} shows its start and its length, so that an output of up to 64 KiB (a blob, a
 * list of ids) does not fill the terminal; {@code mission show --json} and {@code audit mission --json}
 * keep every value whole.
 */
final class ShownOutputs {
  /** The most characters of one output's JSON text a line shows. */
  static final int SHOWN_CHARS = 200;

  private ShownOutputs() {}

  static String of(Map<? extends CharSequence, ? extends CharSequence> outputs) {
    StringJoiner line = new StringJoiner(", ", "{", "}");
    outputs.forEach((name, value) -> line.add(name + "=" + shown(value.toString())));
    return line.toString();
  }

  private static String shown(String value) {
    if (value.length() <= SHOWN_CHARS) {
      return value;
    }
    int end = Character.isHighSurrogate(value.charAt(SHOWN_CHARS - 1)) ? SHOWN_CHARS - 1 : SHOWN_CHARS;
    return value.substring(0, end) + "... (" + value.length() + " characters in all)";
  }
}
