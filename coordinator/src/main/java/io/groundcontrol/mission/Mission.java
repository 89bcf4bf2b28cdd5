package io.groundcontrol.mission;

import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.StageStatus;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The state of one mission. Mutable, but only through package-private methods called by the
 * event appliers, so every change is the effect of an event in the log.
 */
public final class Mission implements MissionView {
  private final String missionId;
  private final String planName;
  private final String planVersion;
  private final Map<String, String> params;
  private final Instant startedAt;
  private final Map<String, Stage> stages;
  private final EnumMap<StageStatus, Integer> statusCounts = new EnumMap<>(StageStatus.class);
  private MissionStatus status;
  private long sequence;
  private Instant updatedAt;
  private String reason;

  Mission(
      String missionId,
      String planName,
      String planVersion,
      MissionStatus status,
      Map<String, String> params,
      long sequence,
      Instant startedAt,
      Instant updatedAt,
      String reason,
      List<Stage> stages) {
    this.missionId = missionId;
    this.planName = planName;
    this.planVersion = planVersion;
    this.status = status;
    this.params = Map.copyOf(params);
    this.sequence = sequence;
    this.startedAt = startedAt;
    this.updatedAt = updatedAt;
    this.reason = reason;
    this.stages = new LinkedHashMap<>();
    for (StageStatus s : StageStatus.values()) {
      statusCounts.put(s, 0);
    }
    for (Stage stage : stages) {
      this.stages.put(stage.name(), stage);
      statusCounts.merge(stage.status(), 1, Integer::sum);
    }
  }

  /** Rebuilds a mission from stored fields; used by the store codec, not by logic. */
  public static Mission restore(
      String missionId,
      String planName,
      String planVersion,
      MissionStatus status,
      Map<String, String> params,
      long sequence,
      Instant startedAt,
      Instant updatedAt,
      String reason,
      List<Stage> stages) {
    return new Mission(
        missionId, planName, planVersion, status, params, sequence, startedAt, updatedAt, reason, stages);
  }

  @Override
  public String missionId() {
    return missionId;
  }

  @Override
  public String planName() {
    return planName;
  }

  @Override
  public String planVersion() {
    return planVersion;
  }

  @Override
  public MissionStatus status() {
    return status;
  }

  @Override
  public Map<String, String> params() {
    return params;
  }

  @Override
  public long sequence() {
    return sequence;
  }

  @Override
  public Instant startedAt() {
    return startedAt;
  }

  @Override
  public Instant updatedAt() {
    return updatedAt;
  }

  @Override
  public Optional<String> reason() {
    return Optional.ofNullable(reason);
  }

  @Override
  public Optional<StageView> stage(String name) {
    return Optional.ofNullable(stages.get(name));
  }

  @Override
  public Collection<Stage> stages() {
    return Collections.unmodifiableCollection(stages.values());
  }

  @Override
  public int activeStageCount() {
    return statusCounts.get(StageStatus.DISPATCHED) + statusCounts.get(StageStatus.RUNNING);
  }

  @Override
  public int pendingStageCount() {
    return activeStageCount() + statusCounts.get(StageStatus.AWAITING_RETRY);
  }

  @Override
  public int countOf(StageStatus status) {
    return statusCounts.get(status);
  }

  Stage mutableStage(String name) {
    Stage stage = stages.get(name);
    if (stage == null) {
      throw new IllegalStateException("Mission '" + missionId + "' has no stage '" + name + "'");
    }
    return stage;
  }

  void changeStageStatus(Stage stage, StageStatus next, Instant at) {
    statusCounts.merge(stage.status(), -1, Integer::sum);
    statusCounts.merge(next, 1, Integer::sum);
    stage.status(next, at);
  }

  void end(MissionStatus next, String why) {
    this.status = next;
    this.reason = why;
  }

  void touch(long sequence, Instant at) {
    this.sequence = sequence;
    this.updatedAt = at;
  }

  @Override
  public String toString() {
    return "Mission[" + missionId + " " + status + " seq=" + sequence + " stages=" + stages.values() + "]";
  }
}
