package io.groundcontrol.api;

import java.util.Map;

/**
 * An answer other than success, with its HTTP status and a message saying why; {@code details}
 * are added to the JSON body (e.g. the problems of a plan).
 */
final class ApiException extends RuntimeException {
  private final int status;
  private final Map<String, Object> details;

  ApiException(int status, String message) {
    this(status, message, Map.of());
  }

  ApiException(int status, String message, Map<String, Object> details) {
    super(message);
    this.status = status;
    this.details = details;
  }

  static ApiException notFound(String message) {
    return new ApiException(404, message);
  }

  static ApiException badRequest(String message) {
    return new ApiException(400, message);
  }

  int status() {
    return status;
  }

  Map<String, Object> details() {
    return details;
  }
}
