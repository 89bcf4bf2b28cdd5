package io.groundcontrol.mission;

import io.groundcontrol.schema.MissionAdmitted;
import io.groundcontrol.schema.MissionCancelled;
import io.groundcontrol.schema.MissionFailed;
import io.groundcontrol.schema.MissionFinished;
import io.groundcontrol.schema.MissionResumed;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.MissionWaiting;
import io.groundcontrol.schema.ReusedFrom;
import io.groundcontrol.schema.StageDispatched;
import io.groundcontrol.schema.StageExcluded;
import io.groundcontrol.schema.StageFailed;
import io.groundcontrol.schema.StageFinished;
import io.groundcontrol.schema.StageQueued;
import io.groundcontrol.schema.StageReset;
import io.groundcontrol.schema.StageResultRequested;
import io.groundcontrol.schema.StageRetryScheduled;
import io.groundcontrol.schema.StageReused;
import io.groundcontrol.schema.StageSkipped;
import io.groundcontrol.schema.StageStarted;
import io.groundcontrol.schema.StageStatus;
import java.time.Instant;
import java.util.Map;

/** The appliers, one small class per event kind. */
final class Appliers {
  private Appliers() {}

  static final class StageDispatchedApplier implements EventApplier<StageDispatched> {
    @Override
    public void apply(Mission mission, StageDispatched event, Instant at) {
      Stage stage = mission.mutableStage(event.getStage());
      boolean granted = stage.status() == StageStatus.QUEUED && stage.attempt() == event.getAttempt();
      stage.newAttempt(event.getAttempt());
      if (event.getResultKey() != null) {
        stage.resultKey(event.getResultKey());
      }
      stage.slotGranted(granted);
      mission.changeStageStatus(stage, StageStatus.DISPATCHED, at);
    }
  }

  static final class StageQueuedApplier implements EventApplier<StageQueued> {
    @Override
    public void apply(Mission mission, StageQueued event, Instant at) {
      Stage stage = mission.mutableStage(event.getStage());
      stage.newAttempt(event.getAttempt());
      stage.slotGranted(false);
      mission.changeStageStatus(stage, StageStatus.QUEUED, at);
    }
  }

  static final class StageStartedApplier implements EventApplier<StageStarted> {
    @Override
    public void apply(Mission mission, StageStarted event, Instant at) {
      Stage stage = mission.mutableStage(event.getStage());
      stage.worker(event.getWorker());
      mission.changeStageStatus(stage, StageStatus.RUNNING, at);
    }
  }

  static final class StageFinishedApplier implements EventApplier<StageFinished> {
    @Override
    public void apply(Mission mission, StageFinished event, Instant at) {
      Stage stage = mission.mutableStage(event.getStage());
      stage.outputs(event.getOutputs());
      mission.changeStageStatus(stage, StageStatus.FINISHED, at);
    }
  }

  static final class StageFailedApplier implements EventApplier<StageFailed> {
    @Override
    public void apply(Mission mission, StageFailed event, Instant at) {
      Stage stage = mission.mutableStage(event.getStage());
      stage.error(event.getError());
      mission.changeStageStatus(stage, StageStatus.FAILED, at);
    }
  }

  static final class StageExcludedApplier implements EventApplier<StageExcluded> {
    @Override
    public void apply(Mission mission, StageExcluded event, Instant at) {
      mission.changeStageStatus(mission.mutableStage(event.getStage()), StageStatus.EXCLUDED, at);
    }
  }

  static final class StageRetryScheduledApplier implements EventApplier<StageRetryScheduled> {
    @Override
    public void apply(Mission mission, StageRetryScheduled event, Instant at) {
      mission.changeStageStatus(mission.mutableStage(event.getStage()), StageStatus.AWAITING_RETRY, at);
    }
  }

  static final class StageSkippedApplier implements EventApplier<StageSkipped> {
    @Override
    public void apply(Mission mission, StageSkipped event, Instant at) {
      mission.changeStageStatus(mission.mutableStage(event.getStage()), StageStatus.SKIPPED, at);
    }
  }

  static final class StageResetApplier implements EventApplier<StageReset> {
    @Override
    public void apply(Mission mission, StageReset event, Instant at) {
      Stage stage = mission.mutableStage(event.getStage());
      stage.error(null);
      stage.outputs(Map.of());
      stage.resultKey(null);
      stage.reusedFrom(null);
      mission.changeStageStatus(stage, StageStatus.WAITING, at);
    }
  }

  static final class StageResultRequestedApplier implements EventApplier<StageResultRequested> {
    @Override
    public void apply(Mission mission, StageResultRequested event, Instant at) {
      Stage stage = mission.mutableStage(event.getStage());
      stage.resultKey(event.getResultKey());
      mission.changeStageStatus(stage, StageStatus.AWAITING_RESULT, at);
    }
  }

  static final class StageReusedApplier implements EventApplier<StageReused> {
    @Override
    public void apply(Mission mission, StageReused event, Instant at) {
      Stage stage = mission.mutableStage(event.getStage());
      stage.outputs(event.getOutputs());
      stage.reusedFrom(new ReusedFrom(event.getFromMission(), event.getFromStage(), event.getFinishedAt()));
      mission.changeStageStatus(stage, StageStatus.REUSED, at);
    }
  }

  static final class MissionResumedApplier implements EventApplier<MissionResumed> {
    @Override
    public void apply(Mission mission, MissionResumed event, Instant at) {
      mission.end(MissionStatus.RUNNING, null);
    }
  }

  static final class MissionWaitingApplier implements EventApplier<MissionWaiting> {
    @Override
    public void apply(Mission mission, MissionWaiting event, Instant at) {
      mission.end(MissionStatus.WAITING, event.getReason());
    }
  }

  static final class MissionAdmittedApplier implements EventApplier<MissionAdmitted> {
    @Override
    public void apply(Mission mission, MissionAdmitted event, Instant at) {
      mission.end(MissionStatus.RUNNING, null);
    }
  }

  static final class MissionFinishedApplier implements EventApplier<MissionFinished> {
    @Override
    public void apply(Mission mission, MissionFinished event, Instant at) {
      mission.end(MissionStatus.FINISHED, null);
    }
  }

  static final class MissionFailedApplier implements EventApplier<MissionFailed> {
    @Override
    public void apply(Mission mission, MissionFailed event, Instant at) {
      mission.end(MissionStatus.FAILED, event.getReason());
    }
  }

  static final class MissionCancelledApplier implements EventApplier<MissionCancelled> {
    @Override
    public void apply(Mission mission, MissionCancelled event, Instant at) {
      mission.end(MissionStatus.CANCELLED, event.getReason() == null ? "cancelled" : event.getReason());
    }
  }
}
