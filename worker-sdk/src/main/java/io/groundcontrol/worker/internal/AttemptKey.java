package io.groundcontrol.worker.internal;

import io.groundcontrol.schema.StageInstruction;

/** Identifies one stage attempt: what redelivery and CANCEL instructions are matched on. */
record AttemptKey(String missionId, String stage, int attempt) {

  static AttemptKey of(StageInstruction instruction) {
    return new AttemptKey(instruction.getMissionId(), instruction.getStage(), instruction.getAttempt());
  }

  @Override
  public String toString() {
    return "stage '" + stage + "' of mission '" + missionId + "' (attempt " + attempt + ")";
  }
}
