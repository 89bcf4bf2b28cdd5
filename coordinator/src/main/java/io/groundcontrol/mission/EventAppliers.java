package io.groundcontrol.mission;

import io.groundcontrol.schema.InputRejected;
import io.groundcontrol.schema.MissionAdmitted;
import io.groundcontrol.schema.MissionCancelled;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionFailed;
import io.groundcontrol.schema.MissionFinished;
import io.groundcontrol.schema.MissionForgotten;
import io.groundcontrol.schema.MissionResumed;
import io.groundcontrol.schema.MissionStarted;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.MissionWaiting;
import io.groundcontrol.schema.StageAwaitingResult;
import io.groundcontrol.schema.StageDispatched;
import io.groundcontrol.schema.StageExcluded;
import io.groundcontrol.schema.StageFailed;
import io.groundcontrol.schema.StageFannedOut;
import io.groundcontrol.schema.StageFinished;
import io.groundcontrol.schema.StageQueued;
import io.groundcontrol.schema.StageReopened;
import io.groundcontrol.schema.StageReset;
import io.groundcontrol.schema.StageResultRequested;
import io.groundcontrol.schema.StageRetryScheduled;
import io.groundcontrol.schema.StageReused;
import io.groundcontrol.schema.StageSkipped;
import io.groundcontrol.schema.StageStarted;
import io.groundcontrol.schema.StartDeduplicated;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The only way a mission changes: one applier per event kind. The coordinator applies each event
 * as it decides it, and replay folds the log through this same class, which is why state rebuilt
 * from the log can be trusted to equal the live state.
 */
public final class EventAppliers {
  private final Map<Class<?>, EventApplier<?>> appliers = new HashMap<>();

  /** Creates the registry with every event kind of the contract. */
  public EventAppliers() {
    register(StageQueued.class, new Appliers.StageQueuedApplier());
    register(StageDispatched.class, new Appliers.StageDispatchedApplier());
    register(StageStarted.class, new Appliers.StageStartedApplier());
    register(StageFinished.class, new Appliers.StageFinishedApplier());
    register(StageFailed.class, new Appliers.StageFailedApplier());
    register(StageExcluded.class, new Appliers.StageExcludedApplier());
    register(MissionFinished.class, new Appliers.MissionFinishedApplier());
    register(MissionFailed.class, new Appliers.MissionFailedApplier());
    register(MissionCancelled.class, new Appliers.MissionCancelledApplier());
    register(StageRetryScheduled.class, new Appliers.StageRetryScheduledApplier());
    register(StageSkipped.class, new Appliers.StageSkippedApplier());
    register(StageReset.class, new Appliers.StageResetApplier());
    register(StageReopened.class, new Appliers.StageReopenedApplier());
    register(MissionResumed.class, new Appliers.MissionResumedApplier());
    register(MissionWaiting.class, new Appliers.MissionWaitingApplier());
    register(MissionAdmitted.class, new Appliers.MissionAdmittedApplier());
    register(StageResultRequested.class, new Appliers.StageResultRequestedApplier());
    register(StageReused.class, new Appliers.StageReusedApplier());
    register(StageFannedOut.class, new Appliers.StageFannedOutApplier());
    // Only says whose result a stage waits for: the stage stays AWAITING_RESULT.
    register(StageAwaitingResult.class, (mission, event, at) -> {});
    register(InputRejected.class, (mission, event, at) -> {});
    register(StartDeduplicated.class, (mission, event, at) -> {});
  }

  private <E> void register(Class<E> type, EventApplier<E> applier) {
    appliers.put(type, applier);
  }

  /**
   * Applies {@code event} to {@code mission} and returns the mission after it.
   *
   * @param mission the mission before the event; null only before its {@code MissionStarted}
   * @return the same mission instance, changed, or a new one for {@code MissionStarted}; a
   *     rejection of an input for an unknown mission (sequence 0) returns {@code mission} as it is;
   *     {@code MissionForgotten} returns null: the mission is no more, and its id may start again
   * @throws IllegalStateException if the event does not follow the mission: a sequence gap, an
   *     event before the mission started, or an unknown event kind
   */
  public Mission apply(Mission mission, MissionEvent event) {
    Object payload = event.getEvent();
    if (event.getSequence() == 0 && payload instanceof InputRejected) {
      return mission;
    }
    if (payload instanceof MissionStarted started) {
      return start(mission, event, started);
    }
    if (mission == null) {
      throw new IllegalStateException(
          "Expected mission '" + event.getMissionId() + "' to be started before event " + event.getSequence()
              + " (" + payload.getClass().getSimpleName() + "), but no MissionStarted came first");
    }
    long expected = mission.sequence() + 1;
    if (event.getSequence() != expected) {
      throw new IllegalStateException(
          "Expected event " + expected + " of mission '" + mission.missionId() + "', but got event "
              + event.getSequence() + " (" + payload.getClass().getSimpleName() + ")");
    }
    if (payload instanceof MissionForgotten) {
      return forget(mission, event);
    }
    applierFor(payload).apply(mission, payload, event.getTimestamp());
    mission.touch(event.getSequence(), event.getTimestamp());
    return mission;
  }

  /**
   * Folds events in order, from no mission; the result is null when no event started one, or the
   * last {@code MissionForgotten} forgot it.
   */
  public Mission replay(Iterable<MissionEvent> events) {
    Mission mission = null;
    for (MissionEvent event : events) {
      mission = apply(mission, event);
    }
    return mission;
  }

  private Mission start(Mission existing, MissionEvent event, MissionStarted started) {
    if (existing != null || event.getSequence() != 1) {
      throw new IllegalStateException(
          "Expected MissionStarted as event 1 of a new mission '" + event.getMissionId() + "', but it is event "
              + event.getSequence() + (existing == null ? "" : " of a mission already started"));
    }
    List<Stage> stages = new ArrayList<>(started.getStages().size());
    for (String name : started.getStages()) {
      stages.add(new Stage(name, event.getTimestamp()));
    }
    Mission mission = new Mission(
        event.getMissionId(),
        started.getPlanName(),
        started.getPlanVersion(),
        MissionStatus.RUNNING,
        started.getParams(),
        event.getSequence(),
        event.getTimestamp(),
        event.getTimestamp(),
        null,
        stages);
    mission.noReuse(started.getNoReuse());
    mission.priority(started.getPriority());
    mission.markAllStagesChanged();
    return mission;
  }

  /** A forgotten mission is no more: null, as before its start, so that its id may start again. */
  private static Mission forget(Mission mission, MissionEvent event) {
    if (!mission.hasEnded()) {
      throw new IllegalStateException("Expected mission '" + mission.missionId() + "' to have ended before event "
          + event.getSequence() + " (MissionForgotten), but it is " + mission.status());
    }
    return null;
  }

  @SuppressWarnings("unchecked")
  private EventApplier<Object> applierFor(Object payload) {
    EventApplier<?> applier = appliers.get(payload.getClass());
    if (applier == null) {
      throw new IllegalStateException("No applier for event " + payload.getClass().getName());
    }
    return (EventApplier<Object>) applier;
  }
}
