package io.groundcontrol.api;

/** The 404 of a mission no instance has: also what to do when it was forgotten, its retention over. */
final class UnknownMission {
  private UnknownMission() {}

  static ApiException notFound(String missionId) {
    return ApiException.notFound("Expected mission '" + missionId + "' to exist, but it is unknown: never started, or "
        + "forgotten once its retention was over (`groundcontrol audit mission " + missionId
        + "` prints what the log holds)");
  }
}
