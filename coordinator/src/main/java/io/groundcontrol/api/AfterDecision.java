package io.groundcontrol.api;

import io.groundcontrol.query.MissionDocument;
import io.groundcontrol.query.QueryUnavailableException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The body that stands in for a mission or schedule read after a decided command when it cannot
 * be read right now: its partition is moving, or the only copy that answered (a standby's) does not
 * hold the decision yet. The command took effect whatever the read says, so the answer keeps the
 * command's status and says where to read the result later, rather than a 503 a client would retry
 * or a state from before the decision.
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
    return unreadable(field, id, what, path, e.getMessage());
  }

  /**
   * {@code {missionId, message}} for a mission read after its decision (event {@code decided}) from
   * a copy that holds it only up to an earlier event.
   */
  static Map<String, Object> behind(MissionDocument read, long decided) {
    String copy = read.stale() ? "the copy that answered, a standby's," : "the copy that answered";
    return unreadable("missionId", read.missionId(), "mission", "/api/v1/missions/" + read.missionId(),
        copy + " holds it only up to event " + read.sequence() + ", before the decision (event " + decided + ")");
  }

  private static Map<String, Object> unreadable(String field, String id, String what, String path, String why) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put(field, id);
    body.put("message", "Decided, but the " + what + " cannot be read here right now (" + why
        + "); read it at " + path);
    return body;
  }
}
