package io.groundcontrol.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.mission.EventAppliers;
import io.groundcontrol.mission.Mission;
import io.groundcontrol.query.MissionDocument;
import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.Cause;
import io.groundcontrol.schema.CauseKind;
import io.groundcontrol.schema.ComponentSettings;
import io.groundcontrol.schema.ComponentStatus;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionStarted;
import io.groundcontrol.schema.StageDispatched;
import io.groundcontrol.schema.StageFannedOut;
import io.groundcontrol.schema.StageFinished;
import io.groundcontrol.schema.StageQueued;
import io.groundcontrol.schema.StageStarted;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StageNotesTest {
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private static final Cause CAUSE = new Cause(CauseKind.COMMAND, new Actor(ActorKind.USER, "ann", null), null);
  private static final Map<String, String> COMPONENTS = Map.of("extract", "warehouse", "train", "ml", "load", "bq", "score", "gpu");

  private final List<MissionEvent> events = new ArrayList<>();
  private final List<Collection<String>> asked = new ArrayList<>();
  private int boardReads;
  private ComponentBoard board = new ComponentBoard(Map.of(), Map.of());

  private void event(long seconds, Object event) {
    events.add(new MissionEvent("m1", (long) events.size() + 1, T0.plusSeconds(seconds), CAUSE, event));
  }

  private Map<String, String> notes(Map<String, List<String>> live, long nowSeconds) {
    Mission mission = new EventAppliers().replay(events);
    return StageNotes.of(MissionDocument.of(mission, mission.stages()), stage -> Optional.ofNullable(COMPONENTS.get(stage)),
        components -> {
          asked.add(components);
          return live;
        }, () -> {
          boardReads++;
          return board;
        }, T0.plusSeconds(nowSeconds));
  }

  @Test
  void aDispatchedStageWhoseComponentHasNoLiveWorkerSaysHowLongItHasWaited() {
    event(0, new MissionStarted("p", "v1", Map.of(), List.of("extract", "train"), false, 0));
    event(0, new StageDispatched("extract", "warehouse", 1, Map.of(), null));
    event(2, new StageDispatched("train", "ml", 1, Map.of(), null));

    Map<String, String> notes = notes(Map.of("warehouse", List.of("w-1@host"), "ml", List.of()), 42);

    assertThat(notes).containsExactly(Map.entry("train", "waiting 40 s; no live worker of 'ml'"));
    assertThat(boardReads).isZero();
  }

  /** Stage load queued for a slot of bq, which runs {@code cap} of {@code cap}. */
  private void loadQueuedOnAFullCap(int cap) {
    event(0, new MissionStarted("p", "v1", Map.of(), List.of("load"), false, 0));
    event(0, new StageQueued("load", "bq", 1));
    board = new ComponentBoard(Map.of("bq", new ComponentSettings("bq", cap, Map.of())),
        Map.of("bq", new ComponentStatus("bq", cap, cap, 3, T0, T0)));
  }

  @Test
  void aQueuedStageSaysHowManySlotsOfItsComponentAreTaken() {
    loadQueuedOnAFullCap(15);

    assertThat(notes(Map.of("bq", List.of("w-1@host")), 5))
        .containsExactly(Map.entry("load", "waiting for a slot of 'bq': 15 of 15 running"));
    assertThat(asked).containsExactly(Set.of("bq"));
  }

  @Test
  void aQueuedStageOfAComponentNothingIsKnownOfStillSaysItWaitsForASlot() {
    event(0, new MissionStarted("p", "v1", Map.of(), List.of("load"), false, 0));
    event(0, new StageQueued("load", "bq", 1));

    assertThat(notes(Map.of("bq", List.of("w-1@host")), 5)).containsExactly(Map.entry("load", "waiting for a slot of 'bq'"));
  }

  /**
   * The slots taken may be held by attempts whose workers are gone: a slot granted now would reach
   * no worker either. A walkthrough read only "4 of 4 running" and waited for slots.
   */
  @Test
  void aQueuedStageOfAComponentWithNoLiveWorkerSaysSoBeforeTheSlots() {
    loadQueuedOnAFullCap(4);

    assertThat(notes(Map.of("bq", List.of()), 5))
        .containsExactly(Map.entry("load", "no live worker of 'bq'; waiting for a slot: 4 of 4 running"));
  }

  @Test
  void aStartedStageOrAMissionWithNothingWaitingAsksNothing() {
    event(0, new MissionStarted("p", "v1", Map.of(), List.of("train"), false, 0));
    event(0, new StageDispatched("train", "ml", 1, Map.of(), null));
    event(1, new StageStarted("train", 1, "w-1", null, T0.plusSeconds(1)));

    assertThat(notes(Map.of(), 60)).isEmpty();
    assertThat(asked).isEmpty();
    assertThat(boardReads).isZero();
  }

  @Test
  void aStageFinishedByAWorkerThatReportedNoStartAsksNothing() {
    event(0, new MissionStarted("p", "v1", Map.of(), List.of("train"), false, 0));
    event(0, new StageDispatched("train", "ml", 1, Map.of(), null));
    event(1, new StageFinished("train", 1, Map.of(), "w-1"));

    assertThat(notes(Map.of(), 60)).isEmpty();
    assertThat(asked).isEmpty();
  }

  /** Stage score fanned out in four chunks of one item, two of them dispatched. */
  private void scoreFannedOutWithTwoChunksOut() {
    event(0, new MissionStarted("p", "v1", Map.of("ids", "[1,2,3,4]"), List.of("score"), false, 0));
    event(0, new StageFannedOut("score", "${params.ids}", 4, 1, 4));
    event(0, new StageDispatched("score[0]", "gpu", 1, Map.of(), null));
    event(0, new StageDispatched("score[1]", "gpu", 1, Map.of(), null));
  }

  @Test
  void aFannedOutStageWhoseChunksHaveNoLiveWorkerSaysSo() {
    scoreFannedOutWithTwoChunksOut();

    assertThat(notes(Map.of("gpu", List.of()), 5)).containsExactly(Map.entry("score", "2 chunks out; no live worker of 'gpu'"));
    assertThat(asked).containsExactly(Set.of("gpu"));
  }

  @Test
  void aFannedOutStageWithChunksQueuedForASlotSaysHowManyAndHowManySlotsAreTaken() {
    scoreFannedOutWithTwoChunksOut();
    event(0, new StageQueued("score[2]", "gpu", 1));
    event(0, new StageQueued("score[3]", "gpu", 1));
    board = new ComponentBoard(Map.of("gpu", new ComponentSettings("gpu", 2, Map.of())),
        Map.of("gpu", new ComponentStatus("gpu", 2, 2, 2, T0, T0)));

    assertThat(notes(Map.of("gpu", List.of("w-1@host")), 5))
        .containsExactly(Map.entry("score", "2 chunks waiting for a slot of 'gpu': 2 of 2 running"));
  }

  @Test
  void aFannedOutStageOfACappedComponentWithNoChunkQueuedHasNoNote() {
    scoreFannedOutWithTwoChunksOut();
    board = new ComponentBoard(Map.of("gpu", new ComponentSettings("gpu", 2, Map.of())),
        Map.of("gpu", new ComponentStatus("gpu", 2, 2, 0, T0, T0)));

    assertThat(notes(Map.of("gpu", List.of("w-1@host")), 5)).isEmpty();
    assertThat(boardReads).isZero();
  }

  @Test
  void aFannedOutStageOfAnUncappedComponentWithLiveWorkersHasNoNote() {
    scoreFannedOutWithTwoChunksOut();

    assertThat(notes(Map.of("gpu", List.of("w-1@host")), 5)).isEmpty();
  }
}
