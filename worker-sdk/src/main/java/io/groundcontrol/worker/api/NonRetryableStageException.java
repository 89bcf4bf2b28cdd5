package io.groundcontrol.worker.api;

/**
 * Thrown by a {@link StageHandler} when repeating the attempt cannot help, for example because a
 * param is missing or malformed, or a query has a syntax error. The attempt is reported as failed
 * with {@code retryable = false}, so the coordinator does not retry the stage.
 *
 * <p>Only the exception thrown by the handler itself is looked at, not its causes: wrap nothing
 * around this exception if it should keep its meaning.
 */
public class NonRetryableStageException extends RuntimeException {

  /**
   * Creates the exception.
   *
   * @param message what went wrong, in one line for people; becomes the report's error message
   */
  public NonRetryableStageException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its cause, whose stack trace becomes part of the report's detail.
   *
   * @param message what went wrong, in one line for people; becomes the report's error message
   * @param cause the underlying failure
   */
  public NonRetryableStageException(String message, Throwable cause) {
    super(message, cause);
  }
}
