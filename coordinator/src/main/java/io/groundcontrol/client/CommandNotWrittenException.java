package io.groundcontrol.client;

/**
 * Kafka did not acknowledge a command in time, or refused it: the cluster may be unreachable. One
 * that timed out may still be written later, by the producer's own retries, and then decided.
 */
public final class CommandNotWrittenException extends IllegalStateException {
  public CommandNotWrittenException(String message, Throwable cause) {
    super(message, cause);
  }
}
