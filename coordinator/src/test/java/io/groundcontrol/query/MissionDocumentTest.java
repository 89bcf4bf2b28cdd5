package io.groundcontrol.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.mission.EventAppliers;
import io.groundcontrol.mission.Mission;
import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.Cause;
import io.groundcontrol.schema.CauseKind;
import io.groundcontrol.schema.MissionCancelled;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionStarted;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.StageAwaitingResult;
import io.groundcontrol.schema.StageDispatched;
import io.groundcontrol.schema.StageFailed;
import io.groundcontrol.schema.StageError;
import io.groundcontrol.schema.StageFinished;
import io.groundcontrol.schema.StageQueued;
import io.groundcontrol.schema.StageResultRequested;
import io.groundcontrol.schema.StageRetryScheduled;
import io.groundcontrol.schema.StageStarted;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The stage statuses every reader shows: the stored ones, but CANCELLED where a mission's cancel cut a stage short. */
class MissionDocumentTest {
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private static final Cause CAUSE = new Cause(CauseKind.COMMAND, new Actor(ActorKind.USER, "ann", null), null);
  private static final List<String> STAGES = List.of("done", "dispatched", "running", "queued", "retry", "result", "later");

  private final List<MissionEvent> events = new ArrayList<>();

  private void event(Object event) {
    events.add(new MissionEvent("m1", (long) events.size() + 1, T0.plusSeconds(events.size()), CAUSE, event));
  }

  /** One stage in each status a cancel can meet; {@code later} waits on nothing done yet. */
  private void oneStageOfEachStatus() {
    event(new MissionStarted("p", "v1", Map.of(), STAGES, false, 0));
    event(new StageDispatched("done", "c", 1, Map.of(), null));
    event(new StageFinished("done", 1, Map.of(), "w-1"));
    event(new StageDispatched("dispatched", "c", 1, Map.of(), null));
    event(new StageDispatched("running", "c", 1, Map.of(), null));
    event(new StageStarted("running", 1, "w-2", null, T0));
    event(new StageQueued("queued", "capped", 1));
    event(new StageDispatched("retry", "c", 1, Map.of(), null));
    event(new StageFailed("retry", 1, new StageError("boom", null, true), "w-3"));
    event(new StageRetryScheduled("retry", 2, T0.plusSeconds(60)));
    event(new StageResultRequested("result", "key", 60_000L, 4L));
    event(new StageAwaitingResult("result", "m0", "result"));
  }

  private MissionDocument document() {
    Mission mission = new EventAppliers().replay(events);
    return MissionDocument.of(mission, mission.stages());
  }

  private static Map<String, String> statuses(MissionDocument document) {
    Map<String, String> statuses = new LinkedHashMap<>();
    document.stages().forEach(stage -> statuses.put(stage.name(), stage.status()));
    return statuses;
  }

  private static Map<String, String> notes(MissionDocument document) {
    Map<String, String> notes = new LinkedHashMap<>();
    document.stages().forEach(stage -> notes.put(stage.name(), stage.note()));
    return notes;
  }

  @Test
  void aRunningMissionShowsItsStagesAsStoredWithoutNotes() {
    oneStageOfEachStatus();

    MissionDocument document = document();

    assertThat(statuses(document)).containsEntry("done", "FINISHED").containsEntry("dispatched", "DISPATCHED")
        .containsEntry("running", "RUNNING").containsEntry("queued", "QUEUED").containsEntry("retry", "AWAITING_RETRY")
        .containsEntry("result", "AWAITING_RESULT").containsEntry("later", "WAITING");
    assertThat(notes(document).values()).containsOnlyNulls();
  }

  @Test
  void aCancelledMissionShowsTheStagesItCutShortAsCancelledWithTheStatusTheyHad() {
    oneStageOfEachStatus();
    event(new MissionCancelled("test over"));

    MissionDocument document = document();

    assertThat(statuses(document)).containsEntry("done", "FINISHED").containsEntry("dispatched", "CANCELLED")
        .containsEntry("running", "CANCELLED").containsEntry("queued", "CANCELLED").containsEntry("retry", "CANCELLED")
        .containsEntry("result", "CANCELLED").containsEntry("later", "WAITING");
    assertThat(notes(document)).containsEntry("done", null)
        .containsEntry("dispatched", "was DISPATCHED when the mission was cancelled")
        .containsEntry("running", "was RUNNING when the mission was cancelled")
        .containsEntry("queued", "was QUEUED when the mission was cancelled")
        .containsEntry("retry", "was AWAITING_RETRY when the mission was cancelled")
        .containsEntry("result", "was AWAITING_RESULT when the mission was cancelled")
        .containsEntry("later", "will not run: the mission was cancelled");
    assertThat(document.summary().stageCounts())
        .containsExactlyInAnyOrderEntriesOf(Map.of("FINISHED", 1, "CANCELLED", 5, "WAITING", 1));
  }

  @Test
  void waitNotesAddedLaterLeaveTheCancelNotesInPlace() {
    oneStageOfEachStatus();
    event(new MissionCancelled("test over"));

    MissionDocument document = document().withNotes(Map.of("done", "a note of its own"));

    assertThat(notes(document)).containsEntry("done", "a note of its own")
        .containsEntry("running", "was RUNNING when the mission was cancelled");
  }

  @Test
  void aListCountsAStoredHeadersStagesByTheStatusTheyShow() {
    Map<String, Integer> stored = Map.of("FINISHED", 2, "RUNNING", 3, "QUEUED", 1, "WAITING", 4);

    assertThat(StageStatuses.counts(MissionStatus.CANCELLED, stored))
        .containsExactlyInAnyOrderEntriesOf(Map.of("FINISHED", 2, "CANCELLED", 4, "WAITING", 4));
    assertThat(StageStatuses.counts(MissionStatus.RUNNING, stored)).containsExactlyInAnyOrderEntriesOf(stored);
  }
}
