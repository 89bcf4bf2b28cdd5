package io.groundcontrol.client;

/** A read of a log did not reach the end it set out for within its time limit; the message says where it stood. */
public final class LogReadTimeoutException extends RuntimeException {
  public LogReadTimeoutException(String message) {
    super(message);
  }
}
