package io.groundcontrol.coordinator;

import io.groundcontrol.schema.AdmissionRequest;
import io.groundcontrol.schema.MissionAdmissionRequest;
import io.groundcontrol.schema.ResultRequest;
import java.util.Objects;
import java.util.Optional;

/**
 * What a mission asks of another sub-topology of the coordinator, named alike by the side that
 * writes it and the side that reads it: a slot of a capped component (admission), a place for a
 * mission of a plan with a limit (mission limits), a result to reuse (results). A stream thread
 * that runs both sides commits the transaction reading the asks as soon as it has read all that the
 * last commit asked (see {@link CommitReadiness}), since nothing else is on the hand-off's path then.
 *
 * @param kind the ask's record type
 * @param key what the answering side is keyed by: component, plan name or result key
 * @param missionId the mission asking
 * @param stage the stage asking, empty for a mission's place
 * @param attempt the attempt asking; for a mission's place, 1 when it gives the place back
 */
record Ask(Class<?> kind, String key, String missionId, String stage, int attempt) {

  /** The ask {@code value} is, if it is one. */
  static Optional<Ask> of(Object value) {
    if (value instanceof AdmissionRequest request) {
      return Optional.of(new Ask(AdmissionRequest.class, request.getComponent(), request.getMissionId(),
          request.getStage(), request.getAttempt()));
    }
    if (value instanceof MissionAdmissionRequest request) {
      return Optional.of(new Ask(MissionAdmissionRequest.class, request.getPlanName(), request.getMissionId(), "",
          request.getRelease() ? 1 : 0));
    }
    if (value instanceof ResultRequest request) {
      return Optional.of(new Ask(ResultRequest.class, request.getResultKey(), request.getMissionId(),
          request.getStage(), 0));
    }
    return Optional.empty();
  }

  /** Mixed as {@link CommitReadiness#mix} says; of the kind's name, not the class, whose hash differs by run. */
  @Override
  public int hashCode() {
    int hash = CommitReadiness.mix(kind.getName().hashCode(), Objects.hashCode(key));
    hash = CommitReadiness.mix(CommitReadiness.mix(hash, Objects.hashCode(missionId)), Objects.hashCode(stage));
    return CommitReadiness.mix(hash, attempt);
  }
}
