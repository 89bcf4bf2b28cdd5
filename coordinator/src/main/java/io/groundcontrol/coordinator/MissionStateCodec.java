package io.groundcontrol.coordinator;

import io.groundcontrol.mission.Mission;
import io.groundcontrol.mission.Stage;
import io.groundcontrol.mission.StageView;
import io.groundcontrol.schema.MissionState;
import io.groundcontrol.schema.StoredStage;
import java.util.ArrayList;
import java.util.List;

/** Converts between the state machine's {@link Mission} and its stored Avro form. */
public final class MissionStateCodec {
  private MissionStateCodec() {}

  /** The stored form of {@code mission}. */
  public static MissionState toStored(Mission mission) {
    List<StoredStage> stages = new ArrayList<>(mission.stages().size());
    for (StageView stage : mission.stages()) {
      stages.add(new StoredStage(
          stage.name(),
          stage.status(),
          stage.attempt(),
          stage.worker().orElse(null),
          stage.outputs(),
          stage.error().orElse(null),
          stage.updatedAt()));
    }
    return new MissionState(
        mission.missionId(),
        mission.planName(),
        mission.planVersion(),
        mission.status(),
        mission.params(),
        mission.sequence(),
        mission.startedAt(),
        mission.updatedAt(),
        mission.reason().orElse(null),
        stages);
  }

  /** The mission stored as {@code state}; null for null. */
  public static Mission fromStored(MissionState state) {
    if (state == null) {
      return null;
    }
    List<Stage> stages = new ArrayList<>(state.getStages().size());
    for (StoredStage stage : state.getStages()) {
      stages.add(Stage.restore(
          stage.getName(),
          stage.getStatus(),
          stage.getAttempt(),
          stage.getWorker(),
          stage.getOutputs(),
          stage.getError(),
          stage.getUpdatedAt()));
    }
    return Mission.restore(
        state.getMissionId(),
        state.getPlanName(),
        state.getPlanVersion(),
        state.getStatus(),
        state.getParams(),
        state.getSequence(),
        state.getStartedAt(),
        state.getUpdatedAt(),
        state.getReason(),
        stages);
  }
}
