package io.groundcontrol.coordinator;

/**
 * An input record that cannot be given to any mission, such as a key that does not match the
 * mission id inside it. Kafka Streams' processing exception handler sends it to the dead-letter
 * topic and processing continues.
 */
public final class InvalidInputException extends RuntimeException {
  /** Creates the exception with what was expected and what was found. */
  public InvalidInputException(String message) {
    super(message);
  }
}
