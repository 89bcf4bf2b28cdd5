package io.groundcontrol.query;

import java.time.Duration;

/**
 * The read side cannot answer correctly now, typically during a rebalance: the owner of a
 * mission is unknown, moving, or did not answer. Ask again after {@link #retryAfter()}.
 */
public final class QueryUnavailableException extends RuntimeException {
  private final Duration retryAfter;

  public QueryUnavailableException(String message, Duration retryAfter) {
    super(message);
    this.retryAfter = retryAfter;
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}
