package io.groundcontrol.ui;

import com.fasterxml.jackson.databind.JsonNode;

/** An error answer of the API, with its status and message, shown to the user as it came. */
final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;

  ApiError(int status, String message) {
    super(message);
    this.status = status;
  }

  static ApiError of(ApiCalls.Answer answer) {
    String message = "The API answered " + answer.status();
    try {
      JsonNode body = ApiCalls.JSON.readTree(answer.body());
      if (body != null && body.hasNonNull("error")) {
        message = body.get("error").asText();
      }
    } catch (Exception e) {
      // not JSON: keep the status line
    }
    return new ApiError(answer.status(), message);
  }

  int status() {
    return status;
  }
}
