package io.groundcontrol.worker.internal;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * Describes a handler's exception for a report or the log without trusting it: its {@code
 * getMessage()} and {@code toString()} are its own code, and one that throws must not leave the
 * attempt without a final report. Only {@code getClass()}, which no exception can override, is
 * called outside a guard.
 */
final class ThrowableText {
  private ThrowableText() {}

  /** Its message, or its class name if the message is null. */
  static String message(Throwable thrown) {
    try {
      String message = thrown.getMessage();
      return message != null ? message : thrown.getClass().getName();
    } catch (Throwable unreadable) {
      return unreadable(thrown, "its getMessage()", unreadable);
    }
  }

  /** Its {@code toString()}: class name and message. */
  static String describe(Throwable thrown) {
    try {
      return String.valueOf(thrown);
    } catch (Throwable unreadable) {
      return unreadable(thrown, "its toString()", unreadable);
    }
  }

  /** Its stack trace with causes, as printed: as much of it as could be printed, and why not the rest. */
  static String stackTrace(Throwable thrown) {
    StringWriter out = new StringWriter();
    try {
      thrown.printStackTrace(new PrintWriter(out));
    } catch (Throwable unreadable) {
      // Each line is built before it is printed, so what was printed ends with a whole line.
      out.write("The stack trace of a " + thrown.getClass().getName() + " could not be printed beyond this point: "
          + "printing it threw " + unreadable.getClass().getName());
    }
    return out.toString();
  }

  private static String unreadable(Throwable thrown, String what, Throwable why) {
    return "The description of a " + thrown.getClass().getName() + " could not be read: " + what + " threw "
        + why.getClass().getName();
  }
}
