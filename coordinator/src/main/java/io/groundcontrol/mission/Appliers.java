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
import io.groundcontrol.schema.StageStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

  /** Ends a RUNNING attempt, or a DISPATCHED one whose worker reported only the outcome. */
  static final class StageFinishedApplier implements EventApplier<StageFinished> {
    @Override
    public void apply(Mission mission, StageFinished event, Instant at) {
      Stage stage = mission.mutableStage(event.getStage());
      reportedBy(stage, event.getWorker());
      stage.outputs(event.getOutputs());
      mission.changeStageStatus(stage, StageStatus.FINISHED, at);
    }
  }

  /** Ends a RUNNING attempt, or a DISPATCHED one whose worker reported only the outcome. */
  static final class StageFailedApplier implements EventApplier<StageFailed> {
    @Override
    public void apply(Mission mission, StageFailed event, Instant at) {
      Stage stage = mission.mutableStage(event.getStage());
      reportedBy(stage, event.getWorker());
      stage.error(event.getError());
      mission.changeStageStatus(stage, StageStatus.FAILED, at);
    }
  }

  /** The worker an outcome names, if it names one: the attempt's worker, as a StageStarted would have said. */
  private static void reportedBy(Stage stage, String worker) {
    if (worker != null) {
      stage.worker(worker);
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

  /** A failed fan-out stage runs again, counters kept; its rule decides next ({@code FanOuts.advance}). */
  static final class StageReopenedApplier implements EventApplier<StageReopened> {
    @Override
    public void apply(Mission mission, StageReopened event, Instant at) {
      Stage stage = mission.mutableStage(event.getStage());
      stage.error(null);
      mission.changeStageStatus(stage, StageStatus.RUNNING, at);
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
      if (event.getRetryPolicyAnew()) {
        stage.countRetriesAnew();
      }
      if (!StageInstance.isChunk(stage.name())) {
        // A fan-out starts over; a retried chunk runs again within its stage's fan-out.
        stage.fanOut(null);
      }
      mission.changeStageStatus(stage, StageStatus.WAITING, at);
      reopenFanOut(mission, stage, at);
    }
  }

  /** A chunk run again puts its failed fan-out stage back to RUNNING, counters kept. */
  private static void reopenFanOut(Mission mission, Stage stage, Instant at) {
    if (StageInstance.isChunk(stage.name())) {
      Stage parent = mission.mutableStage(StageInstance.planStage(stage.name()));
      if (parent.status() == StageStatus.FAILED) {
        parent.error(null);
        mission.changeStageStatus(parent, StageStatus.RUNNING, at);
      }
    }
  }

  static final class StageResultRequestedApplier implements EventApplier<StageResultRequested> {
    @Override
    public void apply(Mission mission, StageResultRequested event, Instant at) {
      Stage stage = mission.mutableStage(event.getStage());
      stage.resultKey(event.getResultKey());
      stage.resultAsk(event.getAsk());
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

  /**
   * Splits the stage's items into chunk instances, WAITING, each holding its slice: the items are
   * read from the mission (the source param or upstream output) once, here, so a chunk's dispatch
   * costs its own slice, not the whole list. Replay rebuilds the same chunks from the same state.
   */
  static final class StageFannedOutApplier implements EventApplier<StageFannedOut> {
    @Override
    public void apply(Mission mission, StageFannedOut event, Instant at) {
      FanOutItems.Items items = FanOutItems.read(mission, event.getStage(), event.getSource());
      if (!items.ok() || items.size() != event.getItemCount()) {
        throw new IllegalStateException("Expected " + event.getItemCount() + " items for stage '" + event.getStage()
            + "' of mission '" + mission.missionId() + "', but " + (items.ok() ? "found " + items.size() : items.problem()));
      }
      List<String> slices = FanOutItems.slices(items.array(), event.getChunkSize());
      Stage stage = mission.mutableStage(event.getStage());
      int attemptBase = stage.attempt() == 0 ? 0 : lastChunkAttempt(mission, event.getStage());
      stage.fanOut(new FanOut(event.getChunkCount(), 0, 0, 0, 0, attemptBase));
      stage.newAttempt(stage.attempt() + 1);
      mission.changeStageStatus(stage, StageStatus.RUNNING, at);
      for (int index = 0; index < slices.size(); index++) {
        Stage chunk = Stage.chunk(StageInstance.chunk(event.getStage(), index), slices.get(index), at);
        chunk.newAttempt(attemptBase);
        mission.addChunk(chunk);
      }
    }

    /**
     * The highest attempt of any chunk an earlier fan-out of {@code stage} left (chunks are named
     * from 0 without gaps): read only when a stage fans out again, after a retry.
     */
    private static int lastChunkAttempt(Mission mission, String stage) {
      int last = 0;
      for (int index = 0; ; index++) {
        Optional<StageView> chunk = mission.stage(StageInstance.chunk(stage, index));
        if (chunk.isEmpty()) {
          return last;
        }
        last = Math.max(last, chunk.get().attempt());
      }
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
      if (event.getAsk() != null) {
        mission.admissionAsk(event.getAsk());
      }
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
