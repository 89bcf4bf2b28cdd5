package io.groundcontrol.api;

import java.util.Map;

/** The 404 of a mission no instance has: also what to do when it was forgotten, its retention over. */
final class UnknownMission {
  private UnknownMission() {}

  /** The 404, naming the mission in its body too, which tells it from a 404 of a path the API does not have. */
  static ApiException notFound(String missionId) {
    return new ApiException(404, "Expected mission '" + missionId + "' to exist, but it is unknown: never started, or "
        + "forgotten once its retention was over (`groundcontrol audit mission " + missionId
        + "` prints what the log holds)", Map.of("missionId", missionId));
  }
}
