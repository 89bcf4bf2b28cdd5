package io.groundcontrol.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.audit.ReplayInput.Channel;
import io.groundcontrol.coordinator.MissionStateCodec;
import io.groundcontrol.mission.InMemoryPlans;
import io.groundcontrol.mission.Mission;
import io.groundcontrol.mission.MissionEngine;
import io.groundcontrol.mission.MissionHarness;
import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.Cause;
import io.groundcontrol.schema.CauseKind;
import io.groundcontrol.schema.InputRejected;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.StageDispatched;
import io.groundcontrol.schema.StageSkipped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Inputs recovered from a log and fed to a fresh engine give the same log and the same state:
 * the pure-Java half of `replay inputs`.
 */
class InputsFromLogTest {
  private static final TestPlan PLAN = TestPlan.diamond().param("day", "\"2026-11-22\"");

  private final MissionHarness original = new MissionHarness(new InMemoryPlans().apply(PLAN));

  private void assertReproduced(String id) {
    InputsFromLog.Recovered recovered = InputsFromLog.from(original.log(id));
    EngineDriver replay = new EngineDriver(new InMemoryPlans().apply(PLAN));

    for (ReplayInput input : recovered.inputs()) {
      replay.input(input.record(), input.timestamp());
    }

    assertThat(recovered.stoppedAt()).isEmpty();
    assertThat(replay.log(id)).as("replayed log").isEqualTo(original.log(id));
    assertThat(replay.stored(id)).isEqualTo(MissionStateCodec.toStored((Mission) original.mission(id)));
  }

  @Test
  void aFinishedMissionWithParamsAndOutputsIsReproduced() {
    original.start("m-1", "diamond", Map.of("day", "\"2026-11-23\""), List.of());
    original.stage("m-1", "extract").started().stage("m-1", "extract").finished(Map.of("rows", "42"));
    for (String stage : List.of("clean", "features", "train", "publish")) {
      original.stage("m-1", stage).runs();
    }

    assertReproduced("m-1");
    assertThat(InputsFromLog.from(original.log("m-1")).inputs()).extracting(ReplayInput::description).startsWith(
        "start mission on plan 'diamond'", "start stage 'extract' (attempt 1) from worker w-1",
        "finish stage 'extract' (attempt 1) from worker w-1");
  }

  @Test
  void aFailedMissionIsReproducedWithItsError() {
    original.start("m-2", "diamond").stage("m-2", "extract").runs();
    original.stage("m-2", "features").started().stage("m-2", "features").failed("feature store unreachable");
    original.stage("m-2", "clean").runs();

    assertReproduced("m-2");
  }

  @Test
  void aCancelAndTheReportsRejectedAfterItAreReproduced() {
    original.start("m-3", "diamond").stage("m-3", "extract").runs();
    original.stage("m-3", "clean").started().cancel("m-3");
    original.stage("m-3", "clean").failed("cancelled");
    original.stage("m-3", "features").attempt(7).finished();

    assertThat(original.log("m-3")).filteredOn(e -> e.getEvent() instanceof InputRejected).hasSize(2);
    assertReproduced("m-3");
  }

  @Test
  void excludedStagesAreReproducedWithTheirDownstream() {
    original.start("m-4", "diamond", Map.of(), List.of("clean")).stage("m-4", "extract").runs();
    original.stage("m-4", "features").runs();

    assertReproduced("m-4");
  }

  @Test
  void eachInputGoesToItsTopicWithTheEventsItCaused() {
    original.start("m-5", "diamond").stage("m-5", "extract").runs();

    List<ReplayInput> inputs = InputsFromLog.from(original.log("m-5")).inputs();

    assertThat(inputs).extracting(ReplayInput::channel).containsExactly(Channel.COMMAND, Channel.REPORT, Channel.REPORT);
    assertThat(inputs.get(2).expected()).extracting(e -> e.getEvent().getClass().getSimpleName())
        .containsExactly("StageFinished", "StageDispatched", "StageDispatched");
    assertThat(inputs.get(2).firstSequence()).isEqualTo(4);
    assertThat(inputs.get(2).lastSequence()).isEqualTo(6);
  }

  @Test
  void timerEventsAreAwaitedNotSent() {
    original.start("m-6", "diamond");
    List<MissionEvent> log = new ArrayList<>(original.log("m-6"));
    MissionEvent last = log.get(log.size() - 1);
    log.add(new MissionEvent("m-6", last.getSequence() + 1, last.getTimestamp().plusSeconds(5),
        new Cause(CauseKind.TIMER, MissionEngine.TIMER, null),
        StageDispatched.newBuilder().setStage("extract").setComponent("warehouse").setAttempt(2).build()));

    List<ReplayInput> inputs = InputsFromLog.from(log).inputs();

    assertThat(inputs).extracting(ReplayInput::channel).containsExactly(Channel.COMMAND, Channel.TIMER);
    assertThat(inputs.get(1).record()).isNull();
  }

  @Test
  void recoveryStopsAtAManualOperationAndSaysWhere() {
    original.start("m-7", "diamond");
    List<MissionEvent> log = new ArrayList<>(original.log("m-7"));
    MissionEvent start = log.get(0);
    log.add(new MissionEvent("m-7", log.size() + 1L, start.getTimestamp().plusSeconds(9), start.getCause(),
        new StageSkipped("extract", "skipped by ann")));

    InputsFromLog.Recovered recovered = InputsFromLog.from(log);

    assertThat(recovered.inputs()).hasSize(1);
    assertThat(recovered.stoppedAt()).hasValueSatisfying(why -> assertThat(why)
        .startsWith("event " + log.size() + " (StageSkipped, COMMAND from USER ann on laptop): ")
        .contains("manualOperation"));
  }
}
