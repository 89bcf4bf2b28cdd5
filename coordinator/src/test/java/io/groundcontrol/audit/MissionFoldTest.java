package io.groundcontrol.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.coordinator.MissionStateCodec;
import io.groundcontrol.mission.InMemoryPlans;
import io.groundcontrol.mission.MissionHarness;
import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MissionFoldTest {
  private final MissionHarness harness = new MissionHarness(new InMemoryPlans().apply(TestPlan.diamond()));
  private final MissionFold fold = new MissionFold();

  private List<MissionEvent> finishedMission(String id) {
    harness.start(id, "diamond");
    for (String stage : List.of("extract", "clean", "features", "train", "publish")) {
      harness.stage(id, stage).runs();
    }
    return harness.log(id);
  }

  @Test
  void interleavedMissionsFoldToTheCoordinatorsState() {
    List<MissionEvent> a = finishedMission("m-1");
    List<MissionEvent> b = finishedMission("m-2");

    for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
      if (i < a.size()) {
        fold.accept(a.get(i));
      }
      if (i < b.size()) {
        fold.accept(b.get(i));
      }
    }

    assertThat(fold.broken()).isEmpty();
    assertThat(fold.events()).isEqualTo(a.size() + b.size());
    assertThat(fold.missions().get("m-1").status()).isEqualTo(MissionStatus.FINISHED);
    assertThat(MissionStateCodec.toStored(fold.missions().get("m-2"))).isEqualTo(
        MissionStateCodec.toStored((io.groundcontrol.mission.Mission) harness.mission("m-2")));
  }

  @Test
  void aResetLoggedBeforeV10OfTheEventsFoldsAsItDidThenWithTheRetryPolicyCountingOn() {
    harness.start("m-1", "diamond").stage("m-1", "extract").failedForGood("disk full").retry("m-1", "extract", false);
    List<MissionEvent> events = harness.log("m-1");
    MissionFold beforeV10 = new MissionFold();

    events.forEach(fold::accept);
    events.stream().map(LogsBeforeV10::asWritten).forEach(beforeV10::accept);

    assertThat(fold.missions().get("m-1").stage("extract").orElseThrow().retryBase()).isEqualTo(1);
    assertThat(beforeV10.missions().get("m-1").stage("extract").orElseThrow().retryBase())
        .as("the store of a release before v10 holds no retry base: 0").isZero();
  }

  @Test
  void aSequenceGapSetsTheMissionAsideAndSaysWhichEventsAreMissing() {
    List<MissionEvent> events = new ArrayList<>(finishedMission("m-1"));
    events.remove(4);
    events.remove(4);

    events.forEach(fold::accept);

    assertThat(fold.missions()).doesNotContainKey("m-1");
    assertThat(fold.broken().get("m-1")).isEqualTo(
        "sequence gap: events 5 to 6 are missing (event 7 (" + MissionFold.kind(events.get(4)) + ") follows event 4)");
  }

  @Test
  void aRepeatedEventIsReported() {
    List<MissionEvent> events = new ArrayList<>(finishedMission("m-1"));
    events.add(3, events.get(2));

    events.forEach(fold::accept);

    assertThat(fold.broken().get("m-1")).startsWith("event 3 (").endsWith("comes again after event 3: the log holds it "
        + "twice or out of order");
  }

  @Test
  void aHistoryWithoutItsStartSaysSo() {
    List<MissionEvent> events = finishedMission("m-1");

    events.subList(3, events.size()).forEach(fold::accept);

    assertThat(fold.broken().get("m-1")).startsWith("sequence gap: its history starts at event 4 (")
        .endsWith("events 1 to 3 are missing (deleted by the topic's retention, or never written)");
  }

  @Test
  void rejectionsOfInputsNamingNoMissionChangeNothing() {
    harness.stage("m-0", "extract").started();
    List<MissionEvent> rejection = harness.log("m-0");

    rejection.forEach(fold::accept);

    assertThat(rejection).singleElement().extracting(MissionEvent::getSequence).isEqualTo(0L);
    assertThat(fold.missions()).isEmpty();
    assertThat(fold.broken()).isEmpty();
    assertThat(fold.events()).isEqualTo(1);
  }

  @Test
  void aForgottenMissionIsDroppedAndItsIdMayStartAgain() {
    finishedMission("m-1");
    harness.sweep("m-1", Duration.ofDays(7));
    harness.start("m-1", "diamond");
    List<MissionEvent> log = harness.log("m-1");

    log.stream().limit(log.size() - 2).forEach(fold::accept);
    assertThat(fold.missions()).as("forgotten").doesNotContainKey("m-1");
    log.stream().skip(log.size() - 2).forEach(fold::accept);

    assertThat(fold.broken()).isEmpty();
    assertThat(MissionStateCodec.toStored(fold.missions().get("m-1"))).isEqualTo(
        MissionStateCodec.toStored((io.groundcontrol.mission.Mission) harness.mission("m-1")));
  }

  @Test
  void theLatestLifeOfAnIdIsItsLastMission() {
    finishedMission("m-1");
    harness.sweep("m-1", Duration.ofDays(7));
    List<MissionEvent> first = List.copyOf(harness.log("m-1"));
    harness.start("m-1", "diamond");
    List<MissionEvent> both = harness.log("m-1");

    assertThat(MissionLives.latest(first)).isEqualTo(first);
    assertThat(MissionLives.beforeForgotten(first)).isEqualTo(first.subList(0, first.size() - 1));
    assertThat(MissionLives.latest(both)).isEqualTo(both.subList(first.size(), both.size()))
        .first().extracting(MissionEvent::getSequence).isEqualTo(1L);
    assertThat(MissionLives.beforeForgotten(MissionLives.latest(both))).hasSize(both.size() - first.size());
  }
}
