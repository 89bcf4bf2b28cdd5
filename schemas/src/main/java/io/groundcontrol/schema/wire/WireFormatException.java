package io.groundcontrol.schema.wire;

/** A record's bytes could not be decoded; the message says what was expected and what was found. */
public final class WireFormatException extends RuntimeException {
  /** Creates the exception with the reason and the underlying decoding failure, if any. */
  public WireFormatException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Creates the exception with the reason. */
  public WireFormatException(String message) {
    super(message);
  }
}
