package io.groundcontrol.trigger;

/** An event a trigger cannot use: not a JSON object, or without a field its key or params need. */
public final class MalformedEventException extends RuntimeException {
  public MalformedEventException(String message) {
    super(message);
  }
}
