package io.groundcontrol.api;

import io.groundcontrol.query.QueryUnavailableException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The body that stands in for a mission or schedule read after a decided command when it cannot
 * be read right now (its partition is moving). The command took effect whatever the read says, so
 * the answer keeps the command's status and says where to read the result later, rather than a
 * 503 a client would retry.
 */
final class AfterDecision {
  private AfterDecision() {}

  /**
   * {@code {field: id, message}}.
   *
   * @param what what could not be read, as the message names it ("mission", "schedule")
   * @param path where to read it later
   */
  static Map<String, Object> unreadable(String field, String id, String what, String path,
      QueryUnavailableException e) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put(field, id);
    body.put("message", "Decided, but the " + what + " cannot be read here right now (" + e.getMessage()
        + "); read it at " + path);
    return body;
  }
}
