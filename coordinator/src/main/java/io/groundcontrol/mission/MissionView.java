package io.groundcontrol.mission;

import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.StageStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Read-only view of one mission. Only {@link EventAppliers} change a mission. */
public interface MissionView {
  String missionId();

  String planName();

  String planVersion();

  MissionStatus status();

  /** The statuses a mission ends in; it may still be resumed by a manual operation. */
  List<MissionStatus> ENDED = List.of(MissionStatus.FINISHED, MissionStatus.FAILED, MissionStatus.CANCELLED);

  /** Whether the mission has ended: FINISHED, FAILED or CANCELLED. */
  default boolean hasEnded() {
    return ENDED.contains(status());
  }

  /** Mission inputs, values as JSON text, after plan defaults were filled in. */
  Map<String, String> params();

  /** Sequence number of the last event applied; the next event carries this plus one. */
  long sequence();

  Instant startedAt();

  /** Order of its queued stages among others of capped components: higher first; 0 by default. */
  int priority();

  Instant updatedAt();

  /** Whether the mission was started with --no-reuse: every stage runs, none reuses a result. */
  boolean noReuse();

  /**
   * The number of its latest ask for a place under its plan's {@code max_active_missions}: 1 for
   * its first, one more each time it waits again; 0 if it never asked.
   */
  int admissionAsk();

  /** Why the mission failed or was cancelled; empty otherwise. */
  Optional<String> reason();

  /** The stage called {@code name}, if the plan has one. */
  Optional<StageView> stage(String name);

  /** All stages: in plan order when built from events, in the store's order when loaded from one. */
  Collection<? extends StageView> stages();

  /** All stages in the order of {@code plan}, whatever order they were loaded in. */
  default List<StageView> stagesInPlanOrder(MissionPlan plan) {
    Map<String, StageView> byName = new HashMap<>();
    stages().forEach(stage -> byName.put(stage.name(), stage));
    List<StageView> ordered = new ArrayList<>(byName.size());
    plan.stageNames().forEach(name -> ordered.add(byName.get(name)));
    return ordered;
  }

  /** Stages currently DISPATCHED or RUNNING. Constant time. */
  int activeStageCount();

  /**
   * Stages that will still report, be dispatched again or be answered by the results index:
   * active, QUEUED, AWAITING_RETRY or AWAITING_RESULT. Constant time.
   */
  int pendingStageCount();

  /** Stages with the given status. Constant time. */
  int countOf(StageStatus status);

  /** Stages that let their downstream run (in a {@link StageView#RELEASING} status). Constant time. */
  default int releasingStageCount() {
    int count = 0;
    for (StageStatus status : StageView.RELEASING) {
      count += countOf(status);
    }
    return count;
  }
}
