package io.groundcontrol.cli;

import io.groundcontrol.mission.ReuseText;
import io.groundcontrol.plan.Durations;
import io.groundcontrol.schema.InputRejected;
import io.groundcontrol.schema.MissionAdmitted;
import io.groundcontrol.schema.MissionCancelled;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionFailed;
import io.groundcontrol.schema.MissionFinished;
import io.groundcontrol.schema.MissionForgotten;
import io.groundcontrol.schema.MissionResumed;
import io.groundcontrol.schema.MissionWaiting;
import io.groundcontrol.schema.MissionStarted;
import io.groundcontrol.schema.StageAwaitingResult;
import io.groundcontrol.schema.StageDispatched;
import io.groundcontrol.schema.StageQueued;
import io.groundcontrol.schema.StageExcluded;
import io.groundcontrol.schema.StageFailed;
import io.groundcontrol.schema.StageFannedOut;
import io.groundcontrol.schema.StageFinished;
import io.groundcontrol.schema.StageReopened;
import io.groundcontrol.schema.StageReset;
import io.groundcontrol.schema.StageResultRequested;
import io.groundcontrol.schema.StageRetryScheduled;
import io.groundcontrol.schema.StageReused;
import io.groundcontrol.schema.StageSkipped;
import io.groundcontrol.schema.StageStarted;
import io.groundcontrol.schema.StartDeduplicated;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** One line for people per mission event. */
final class EventLines {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

  private EventLines() {}

  static String describe(MissionEvent event) {
    String what = event.getEvent() instanceof StageReused e
        ? "stage '" + e.getStage() + "' REUSED: "
            + ReuseText.describe(e.getFromMission(), e.getFromStage(), e.getFinishedAt(), event.getTimestamp())
        : what(event.getEvent());
    return TIME.format(event.getTimestamp()) + "  #" + event.getSequence() + "  " + what;
  }

  /** Whether the event ends its mission. */
  static boolean isEnd(MissionEvent event) {
    Object e = event.getEvent();
    return e instanceof MissionFinished || e instanceof MissionFailed || e instanceof MissionCancelled;
  }

  /** " by W" for an outcome that names its worker (one whose start was not reported), else "". */
  private static String by(String worker) {
    return worker == null ? "" : " by " + worker;
  }

  private static String what(Object event) {
    if (event instanceof MissionStarted e) {
      return "mission started on plan '" + e.getPlanName() + "' (version " + e.getPlanVersion() + ", "
          + e.getStages().size() + " stages) params " + e.getParams();
    } else if (event instanceof StageQueued e) {
      return "stage '" + e.getStage() + "' queued for a slot of " + e.getComponent() + " (attempt " + e.getAttempt() + ")";
    } else if (event instanceof StageDispatched e) {
      return "stage '" + e.getStage() + "' dispatched to " + e.getComponent() + " (attempt " + e.getAttempt() + ")";
    } else if (event instanceof StageStarted e) {
      return "stage '" + e.getStage() + "' started by " + e.getWorker();
    } else if (event instanceof StageFinished e) {
      return "stage '" + e.getStage() + "' finished" + by(e.getWorker())
          + (e.getOutputs().isEmpty() ? "" : " outputs " + ShownOutputs.of(e.getOutputs()));
    } else if (event instanceof StageFailed e) {
      return "stage '" + e.getStage() + "' FAILED on attempt " + e.getAttempt() + by(e.getWorker()) + ": "
          + e.getError().getMessage() + (e.getError().getRetryable() ? "" : " (not retryable)");
    } else if (event instanceof StageResultRequested e) {
      return "stage '" + e.getStage() + "' looks for a result younger than " + Duration.ofMillis(e.getMaxAgeMs())
          .toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    } else if (event instanceof StageAwaitingResult e) {
      return "stage '" + e.getStage() + "' waits for the identical stage '" + e.getRunningStage() + "' of mission "
          + e.getRunningMission();
    } else if (event instanceof StageFannedOut e) {
      return "stage '" + e.getStage() + "' fanned out: " + e.getItemCount() + " items from " + e.getSource() + " in "
          + e.getChunkCount() + " chunks of " + e.getChunkSize();
    } else if (event instanceof StageExcluded e) {
      return "stage '" + e.getStage() + "' excluded: " + e.getReason();
    } else if (event instanceof StageRetryScheduled e) {
      return "stage '" + e.getStage() + "' attempt " + e.getAttempt() + " scheduled for " + TIME.format(e.getDueAt());
    } else if (event instanceof StageSkipped e) {
      return "stage '" + e.getStage() + "' skipped: " + e.getReason();
    } else if (event instanceof StageReset e) {
      return "stage '" + e.getStage() + "' reset to run again: " + e.getReason();
    } else if (event instanceof StageReopened e) {
      return "stage '" + e.getStage() + "' RUNNING again: " + e.getReason();
    } else if (event instanceof MissionResumed e) {
      return "mission resumed: " + e.getReason();
    } else if (event instanceof MissionWaiting e) {
      return "mission WAITING: " + e.getReason();
    } else if (event instanceof MissionAdmitted e) {
      return "mission admitted: " + e.getActive() + (e.getLimit() == null ? "" : " of " + e.getLimit())
          + " active missions of its plan";
    } else if (event instanceof MissionFinished) {
      return "mission FINISHED";
    } else if (event instanceof MissionFailed e) {
      return "mission FAILED: " + e.getReason();
    } else if (event instanceof MissionCancelled e) {
      return "mission CANCELLED: " + e.getReason();
    } else if (event instanceof MissionForgotten e) {
      return "mission forgotten: " + e.getStatus() + " and unchanged for "
          + Durations.text(Duration.ofMillis(e.getRetainedForMs()))
          + ", removed from the coordinator's stores (these events stay)";
    } else if (event instanceof StartDeduplicated e) {
      return "already exists (" + e.getStatus() + "): " + e.getInput() + " started nothing";
    } else if (event instanceof InputRejected e) {
      return "rejected " + e.getInput() + ": " + e.getReason();
    }
    return event.getClass().getSimpleName();
  }
}
