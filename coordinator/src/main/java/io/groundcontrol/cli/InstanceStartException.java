package io.groundcontrol.cli;

import io.javalin.util.JavalinBindException;
import io.javalin.util.JavalinException;

/**
 * A coordinator instance that could not start, with one line saying what failed, where, and what
 * to do; {@link KafkaRefusals} prints it instead of a stack trace.
 */
final class InstanceStartException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private InstanceStartException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The HTTP API could not listen on {@code bind}:{@code port}. */
  static InstanceStartException listening(String bind, int port, JavalinException cause) {
    String where = "Could not listen on " + bind + ":" + port + " for this instance's HTTP API: ";
    if (cause instanceof JavalinBindException && String.valueOf(cause.getMessage()).startsWith("Port already in use")) {
      return new InstanceStartException(where + "the port is in use (another coordinator instance or program); "
          + "stop it, or give this instance another --api-port (instances on one machine each need their own "
          + "--api-port and --state-dir)", cause);
    }
    return new InstanceStartException(where + rootMessage(cause) + "; check --api-bind and --api-port", cause);
  }

  /** A check before starting refused to go on; {@code line} says what, where and what to do. */
  static InstanceStartException refused(String line) {
    return new InstanceStartException(line, null);
  }

  /** The coordinator did not start (not RUNNING in time, a topic it could not describe, ...). */
  static InstanceStartException starting(IllegalStateException cause) {
    return new InstanceStartException("Could not start this coordinator instance: " + oneLine(cause.getMessage())
        + "; the log above says more; start it again once that is fixed", cause);
  }

  private static String rootMessage(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return oneLine(root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage());
  }

  private static String oneLine(String message) {
    return String.valueOf(message).replaceAll("\\s*\\R\\s*", " ").trim();
  }
}
