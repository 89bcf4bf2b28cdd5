package io.groundcontrol.client;

/**
 * Kafka did not take a write within its wait, or refused it: the cluster may be unreachable. The
 * message says what was not written, Kafka's reason, and what the writer may do now: a write that
 * timed out may still land later, by the producer's own retries, so whether sending it again is
 * safe depends on the write.
 */
public final class WriteNotTakenException extends IllegalStateException {
  private final String what;
  private final String reason;

  /**
   * @param what what was not written, as a phrase: {@code plan 'etl' version 3}
   * @param afterwards whether it may still land and whether sending it again is safe, in sentences
   * @param cause Kafka's failure or the timeout
   */
  public WriteNotTakenException(String what, String afterwards, Throwable cause) {
    super("Kafka did not take the " + what + " (" + reasonOf(cause) + "); is the cluster reachable? " + afterwards,
        cause);
    this.what = what;
    this.reason = reasonOf(cause);
  }

  /** What was not written, as a phrase. */
  public String what() {
    return what;
  }

  /** Kafka's reason, or the wait that ran out. */
  public String reason() {
    return reason;
  }

  private static String reasonOf(Throwable cause) {
    return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
  }
}
