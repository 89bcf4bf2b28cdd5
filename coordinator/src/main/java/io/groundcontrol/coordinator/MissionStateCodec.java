package io.groundcontrol.coordinator;

import io.groundcontrol.mission.FanOut;
import io.groundcontrol.mission.Mission;
import io.groundcontrol.mission.Stage;
import io.groundcontrol.mission.StageSource;
import io.groundcontrol.mission.StageView;
import io.groundcontrol.schema.FanOutState;
import io.groundcontrol.schema.MissionHeader;
import io.groundcontrol.schema.MissionState;
import io.groundcontrol.schema.StageStatus;
import io.groundcontrol.schema.StoredStage;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts between the state machine's {@link Mission} and its stored Avro forms: the whole
 * {@link MissionState} (what audits compare), and the {@link MissionHeader} and {@link StoredStage}
 * entries the missions store keeps.
 */
public final class MissionStateCodec {
  private MissionStateCodec() {}

  /** The whole stored form of {@code mission}, every stage included. */
  public static MissionState toStored(Mission mission) {
    List<StoredStage> stages = new ArrayList<>(mission.stages().size());
    for (StageView stage : mission.stages()) {
      stages.add(toStored(stage));
    }
    // The whole form has no stage counts: counting them at every write of a mission in flight,
    // only to drop them, was 2% of the stream thread.
    return assemble(header(mission, Map.of()), stages);
  }

  /** The stored form of one stage. */
  public static StoredStage toStored(StageView stage) {
    return new StoredStage(
        stage.name(),
        stage.status(),
        stage.attempt(),
        stage.worker().orElse(null),
        stage.outputs(),
        stage.error().orElse(null),
        stage.updatedAt(),
        stage.resultKey().orElse(null),
        stage.reusedFrom().orElse(null),
        stage.slotGranted(),
        stage.items().orElse(null),
        stage.fanOut().map(MissionStateCodec::toStored).orElse(null),
        stage.retryBase(),
        stage.resultAsk());
  }

  private static FanOutState toStored(FanOut counters) {
    return new FanOutState(counters.chunkCount(), counters.next(), counters.active(), counters.done(), counters.failed(),
        counters.attemptBase(), counters.queuedForSlot());
  }

  /** The mission's header: everything but its stages, with how many stages are in each status. */
  public static MissionHeader toHeader(Mission mission) {
    return toHeader(mission, List.of());
  }

  /** The mission's header, holding {@code stagesOut} rather than their entries. */
  public static MissionHeader toHeader(Mission mission, List<StoredStage> stagesOut) {
    Map<String, Integer> counts = new HashMap<>();
    mission.stageCounts().forEach((status, count) -> counts.put(status.name(), count));
    MissionHeader header = header(mission, counts);
    header.setStagesOut(stagesOut);
    return header;
  }

  private static MissionHeader header(Mission mission, Map<String, Integer> stageCounts) {
    return new MissionHeader(
        mission.missionId(),
        mission.planName(),
        mission.planVersion(),
        mission.status(),
        mission.params(),
        mission.sequence(),
        mission.startedAt(),
        mission.updatedAt(),
        mission.reason().orElse(null),
        stageCounts,
        mission.noReuse(),
        mission.priority(),
        List.of(),
        mission.admissionAsk());
  }

  /** The whole mission made of a header and its stages. */
  public static MissionState assemble(MissionHeader header, List<StoredStage> stages) {
    return new MissionState(
        header.getMissionId(),
        header.getPlanName(),
        header.getPlanVersion(),
        header.getStatus(),
        header.getParams(),
        header.getSequence(),
        header.getStartedAt(),
        header.getUpdatedAt(),
        header.getReason(),
        header.getPriority(),
        stages,
        header.getNoReuse(),
        header.getAdmissionAsk());
  }

  /** The mission stored as {@code state}; null for null. */
  public static Mission fromStored(MissionState state) {
    if (state == null) {
      return null;
    }
    List<Stage> stages = new ArrayList<>(state.getStages().size());
    for (StoredStage stage : state.getStages()) {
      stages.add(fromStored(stage));
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
        stages).noReuse(state.getNoReuse()).restoredPriority(state.getPriority())
        .restoredAdmissionAsk(state.getAdmissionAsk());
  }

  /** The stage stored as {@code stage}. */
  public static Stage fromStored(StoredStage stage) {
    return Stage.restore(
        stage.getName(),
        stage.getStatus(),
        stage.getAttempt(),
        stage.getWorker(),
        stage.getOutputs(),
        stage.getError(),
        stage.getUpdatedAt(),
        stage.getResultKey(),
        stage.getReusedFrom(),
        stage.getSlotGranted())
        .restoredFanOut(stage.getItems(), stage.getFanOut() == null ? null : new FanOut(stage.getFanOut().getChunkCount(),
            stage.getFanOut().getNext(), stage.getFanOut().getActive(), stage.getFanOut().getDone(),
            stage.getFanOut().getFailed(), stage.getFanOut().getAttemptBase(), stage.getFanOut().getQueuedForSlot()))
        .restoredRetryBase(stage.getRetryBase())
        .restoredResultAsk(stage.getResultAsk());
  }

  /** The mission with this header, whose stages {@code stages} supplies as they are asked for. */
  public static Mission fromHeader(MissionHeader header, StageSource stages) {
    Map<StageStatus, Integer> counts = new EnumMap<>(StageStatus.class);
    header.getStageCounts().forEach((status, count) -> counts.put(StageStatus.valueOf(status.toString()), count));
    return Mission.load(
        header.getMissionId(),
        header.getPlanName(),
        header.getPlanVersion(),
        header.getStatus(),
        header.getParams(),
        header.getSequence(),
        header.getStartedAt(),
        header.getUpdatedAt(),
        header.getReason(),
        counts,
        stages).noReuse(header.getNoReuse()).restoredPriority(header.getPriority())
        .restoredAdmissionAsk(header.getAdmissionAsk());
  }
}
