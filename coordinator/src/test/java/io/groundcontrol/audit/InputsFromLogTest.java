package io.groundcontrol.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.audit.ReplayInput.Channel;
import io.groundcontrol.coordinator.MissionStateCodec;
import io.groundcontrol.mission.ComponentLookup;
import io.groundcontrol.mission.EventAppliers;
import io.groundcontrol.mission.InMemoryPlans;
import io.groundcontrol.mission.Mission;
import io.groundcontrol.mission.MissionEngine;
import io.groundcontrol.mission.MissionHarness;
import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.Cause;
import io.groundcontrol.schema.CauseKind;
import io.groundcontrol.mission.TimerFired;
import io.groundcontrol.schema.FailStage;
import io.groundcontrol.schema.InputRejected;
import io.groundcontrol.schema.MissionCommand;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionResumed;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.ReportFinished;
import io.groundcontrol.schema.RetryStage;
import io.groundcontrol.schema.SkipStage;
import io.groundcontrol.schema.StageDispatched;
import io.groundcontrol.schema.StageFailed;
import io.groundcontrol.schema.StageFinished;
import io.groundcontrol.schema.StageReport;
import io.groundcontrol.schema.StageReset;
import io.groundcontrol.schema.StageSkipped;
import io.groundcontrol.schema.StageStarted;
import io.groundcontrol.schema.StartMission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * Inputs recovered from a log and fed to a fresh engine give the same log and the same state:
 * the pure-Java half of `replay inputs`.
 */
class InputsFromLogTest {
  private static final TestPlan PLAN = TestPlan.diamond().param("day", "\"2026-11-22\"");
  /** The diamond with retries: 'clean' 3 attempts from 100 ms, 'train' 2 attempts from 50 ms and a 30 s timeout. */
  private static final TestPlan RETRYING = TestPlan.named("retrying")
      .stage("extract", "warehouse")
      .stage("clean", "warehouse", "extract").retry(3, 100)
      .stage("features", "ml", "extract")
      .stage("train", "ml", "clean", "features").retry(2, 50).timeout(30_000)
      .stage("publish", "warehouse", "train");

  private final MissionHarness original = new MissionHarness(plans());

  /** Four ids in chunks of one, two out at once, then a stage that reads the chunks' outputs. */
  private static final TestPlan FAN = TestPlan.named("fan")
      .param("ids", "[1,2,3,4]")
      .stage("score", "scorer", Map.of("ids", "\"${chunk.items}\""))
      .foreach("${params.ids}", 1, 2)
      .stage("publish", "publisher", "score");
  /** 'load' takes a table 'extract' must output. */
  private static final TestPlan DATAFLOW = TestPlan.named("dataflow")
      .stage("extract", "warehouse")
      .stage("load", "warehouse", Map.of("table", "\"${stages.extract.outputs.table}\""), "extract");

  private static InMemoryPlans plans() {
    return new InMemoryPlans().apply(PLAN).apply(RETRYING).apply(FAN).apply(DATAFLOW);
  }

  private void assertReproduced(String id) {
    InputsFromLog.Recovered recovered = InputsFromLog.from(original.log(id));
    EngineDriver replay = new EngineDriver(plans());

    for (ReplayInput input : recovered.inputs()) {
      replay.replay(input);
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
  void outcomesReportedWithoutAStartAreReproducedAsTheOutcomesAlone() {
    original.start("m-9", "diamond").stage("m-9", "extract").finished(Map.of("rows", "42"));
    original.stage("m-9", "clean").failedForGood("bad rows");
    original.stage("m-9", "features").runs();
    assertThat(original.log("m-9").subList(1, 3)).extracting(e -> e.getEvent().getClass().getSimpleName())
        .as("finished directly after its dispatch").containsExactly("StageDispatched", "StageFinished");

    assertReproduced("m-9");
    List<ReplayInput> inputs = InputsFromLog.from(original.log("m-9")).inputs();
    assertThat(inputs).extracting(ReplayInput::description).startsWith(
        "start mission on plan 'diamond'", "finish stage 'extract' (attempt 1) from worker w-1",
        "fail stage 'clean' (attempt 1) from worker w-1", "start stage 'features' (attempt 1) from worker w-1");
    assertThat(((StageReport) inputs.get(1).record()).getOutcome()).isEqualTo(new ReportFinished(Map.of("rows", "42")));
  }

  /**
   * A log written before outcomes named their worker: the coordinator recorded a
   * {@code StageStarted} without a heartbeat interval before an outcome reported without a start.
   * Replayed as a start report, then the outcome, it gives the same events and state.
   */
  @Test
  void anOlderLogWithTheStartsTheCoordinatorRecordedIsReproduced() {
    original.start("m-16", "retrying").stage("m-16", "extract").finished(Map.of("rows", "42"));
    original.stage("m-16", "clean").failed("flaky disk").fire("m-16", "clean", TimerFired.Kind.RETRY);
    original.stage("m-16", "clean").finished().stage("m-16", "features").runs();
    List<MissionEvent> older = withRecordedStarts(original.log("m-16"));
    assertThat(older).extracting(e -> e.getEvent().getClass().getSimpleName()).containsSubsequence(
        "StageDispatched", "StageStarted", "StageFinished", "StageDispatched", "StageDispatched", "StageStarted",
        "StageFailed", "StageRetryScheduled", "StageDispatched", "StageStarted", "StageFinished");

    InputsFromLog.Recovered recovered = InputsFromLog.from(older);
    EngineDriver replay = new EngineDriver(plans());
    recovered.inputs().forEach(replay::replay);

    assertThat(recovered.stoppedAt()).isEmpty();
    assertThat(recovered.inputs()).extracting(ReplayInput::description).contains(
        "start stage 'extract' (attempt 1) from worker w-1", "finish stage 'extract' (attempt 1) from worker w-1");
    assertThat(replay.log("m-16")).as("replayed log").isEqualTo(older);
    assertThat(replay.stored("m-16")).isEqualTo(MissionStateCodec.toStored(new EventAppliers().replay(older)));
  }

  /**
   * {@code log} as a coordinator before v8 of the events wrote it: a {@code StageStarted} by the
   * reporting worker, without a heartbeat interval, before each outcome that names its worker, and
   * the outcome naming none.
   */
  private static List<MissionEvent> withRecordedStarts(List<MissionEvent> log) {
    List<MissionEvent> older = new ArrayList<>();
    for (MissionEvent event : log) {
      Object payload = event.getEvent();
      String worker = payload instanceof StageFinished f ? f.getWorker()
          : payload instanceof StageFailed f ? f.getWorker() : null;
      if (worker != null) {
        SpecificRecord outcome = (SpecificRecord) payload;
        String stage = (String) outcome.get(outcome.getSchema().getField("stage").pos());
        int attempt = (Integer) outcome.get(outcome.getSchema().getField("attempt").pos());
        StageStarted recorded = new StageStarted(stage, attempt, worker, null, event.getTimestamp());
        older.add(renumbered(event, older.size() + 1, recorded));
        payload = payload instanceof StageFinished f ? StageFinished.newBuilder(f).setWorker(null).build()
            : StageFailed.newBuilder((StageFailed) payload).setWorker(null).build();
      }
      older.add(renumbered(event, older.size() + 1, payload));
    }
    return older;
  }

  private static MissionEvent renumbered(MissionEvent event, long sequence, Object payload) {
    return MissionEvent.newBuilder(event).setSequence(sequence).setEvent(payload).build();
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
  void reportsThatOvertookTheirSlotGrantAreRecoveredWithTheDispatchTheyRecorded() {
    ComponentLookup warehouseCapped = Set.of("warehouse")::contains;
    MissionHarness capped = new MissionHarness(plans(), warehouseCapped);
    capped.start("m-20", "diamond").stage("m-20", "extract").finished(Map.of("rows", "42"));
    capped.grant("m-20", "extract", 1);
    capped.stage("m-20", "clean").started().grant("m-20", "clean");

    List<ReplayInput> inputs = InputsFromLog.from(capped.log("m-20")).inputs();

    assertThat(inputs).extracting(ReplayInput::description).containsExactly(
        "start mission on plan 'diamond'", "finish stage 'extract' (attempt 1) from worker w-1",
        "start stage 'clean' (attempt 1) from worker w-1");
    assertThat(kinds(inputs.get(1))).startsWith("StageDispatched", "StageFinished");
    assertThat(kinds(inputs.get(2))).containsExactly("StageDispatched", "StageStarted");
    EngineDriver replay = new EngineDriver(plans(), warehouseCapped);
    inputs.forEach(replay::replay);
    assertThat(replay.log("m-20")).as("replayed log").isEqualTo(capped.log("m-20"));
    assertThat(replay.stored("m-20")).isEqualTo(MissionStateCodec.toStored((Mission) capped.mission("m-20")));
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
  void automaticRetriesAreAwaitedAsTimersAndReproduced() {
    original.start("m-8", "retrying").stage("m-8", "extract").runs();
    original.stage("m-8", "clean").started().stage("m-8", "clean").failed("flaky disk");
    original.fire("m-8", "clean", TimerFired.Kind.RETRY);
    original.stage("m-8", "clean").runs().stage("m-8", "features").runs();
    original.stage("m-8", "train").started().fire("m-8", "train", TimerFired.Kind.TIMEOUT);
    original.fire("m-8", "train", TimerFired.Kind.RETRY);
    original.stage("m-8", "train").runs().stage("m-8", "publish").runs();
    assertThat(original.mission("m-8").status()).isEqualTo(MissionStatus.FINISHED);

    List<ReplayInput> inputs = InputsFromLog.from(original.log("m-8")).inputs();

    assertThat(inputs).filteredOn(i -> i.channel() == Channel.TIMER).extracting(this::kinds).containsExactly(
        List.of("StageDispatched"), List.of("StageFailed", "StageRetryScheduled"), List.of("StageDispatched"));
    assertReproduced("m-8");
  }

  @Test
  void aManualRetryOfAFailedMissionIsRecoveredWithItsResume() {
    original.start("m-9", "diamond").stage("m-9", "extract").started().stage("m-9", "extract").failedForGood("disk full");
    original.retry("m-9", "extract", false).stage("m-9", "extract").runs();

    ReplayInput retry = InputsFromLog.from(original.log("m-9")).inputs().get(3);

    assertThat(kinds(retry)).containsExactly("MissionResumed", "StageReset", "StageDispatched");
    assertThat(command(retry)).isEqualTo(new RetryStage("extract", false));
    assertThat(retry.description()).isEqualTo("retry stage 'extract' by ann");
    assertReproduced("m-9");
  }

  @Test
  void aRetryWithDownstreamIsRecoveredFromTheResetsAfterIt() {
    original.start("m-10", "diamond").stage("m-10", "extract").runs().stage("m-10", "features").failed("oom")
        .skip("m-10", "train").stage("m-10", "clean").runs().stage("m-10", "publish").runs();
    original.retry("m-10", "features", true);

    List<ReplayInput> inputs = InputsFromLog.from(original.log("m-10")).inputs();
    ReplayInput retry = inputs.get(inputs.size() - 1);

    assertThat(kinds(retry)).containsExactly("MissionResumed", "StageReset", "StageReset", "StageReset", "StageDispatched");
    assertThat(command(retry)).isEqualTo(new RetryStage("features", true));
    assertReproduced("m-10");
  }

  @Test
  void skipsAreRecoveredWithTheirReasonAndTheReportRejectedAfterThem() {
    original.start("m-11", "diamond").stage("m-11", "extract").runs().stage("m-11", "features").started();
    original.skip("m-11", "features").stage("m-11", "features").failed("cancelled");
    original.stage("m-11", "clean").runs().stage("m-11", "train").runs().stage("m-11", "publish").runs();

    List<ReplayInput> inputs = InputsFromLog.from(original.log("m-11")).inputs();

    assertThat(inputs).extracting(ReplayInput::record).filteredOn(MissionCommand.class::isInstance)
        .extracting(r -> ((MissionCommand) r).getCommand()).contains(new SkipStage("features", "not needed"));
    assertThat(original.mission("m-11").status()).isEqualTo(MissionStatus.FINISHED);
    assertReproduced("m-11");
  }

  @Test
  void aSkipWithoutReasonAndASkipThatReopensAFailedMissionAreRecovered() {
    original.start("m-12", "diamond").stage("m-12", "extract").runs().stage("m-12", "clean").failedForGood("bad rows")
        .stage("m-12", "features").runs();
    assertThat(original.mission("m-12").status()).isEqualTo(MissionStatus.FAILED);
    List<MissionEvent> log = new ArrayList<>(original.log("m-12"));
    MissionEvent start = log.get(0);
    // As a skip command without reason leaves it: the harness always gives one.
    log.add(new MissionEvent("m-12", log.size() + 1L, start.getTimestamp().plusSeconds(60), start.getCause(),
        new MissionResumed("stage 'clean' skipped by ann")));
    log.add(new MissionEvent("m-12", log.size() + 1L, start.getTimestamp().plusSeconds(60), start.getCause(),
        new StageSkipped("clean", "skipped by ann")));

    List<ReplayInput> inputs = InputsFromLog.from(log).inputs();

    assertThat(command(inputs.get(inputs.size() - 1))).isEqualTo(new SkipStage("clean", null));
    original.skip("m-12", "clean").stage("m-12", "train").runs().stage("m-12", "publish").runs();
    assertReproduced("m-12");
  }

  @Test
  void aStageMarkedFailedIsRecoveredAsAFailCommand() {
    original.start("m-13", "retrying").stage("m-13", "extract").runs().stage("m-13", "clean").started();
    original.fail("m-13", "clean").stage("m-13", "clean").finished().stage("m-13", "features").runs();

    List<ReplayInput> inputs = InputsFromLog.from(original.log("m-13")).inputs();

    assertThat(inputs).extracting(ReplayInput::description).contains("fail stage 'clean' by ann");
    assertThat(inputs).extracting(ReplayInput::record).filteredOn(MissionCommand.class::isInstance)
        .extracting(r -> ((MissionCommand) r).getCommand()).contains(new FailStage("clean", "bad data"));
    assertThat(original.mission("m-13").status()).isEqualTo(MissionStatus.FAILED);
    assertReproduced("m-13");
  }

  @Test
  void aStartFromGivenStagesIsRecoveredFromTheSkipsBeforeIt() {
    original.startFrom("m-14", "diamond", List.of("clean", "features")).stage("m-14", "clean").runs();

    ReplayInput start = InputsFromLog.from(original.log("m-14")).inputs().get(0);

    assertThat(kinds(start)).startsWith("MissionStarted", "StageSkipped");
    assertThat(((StartMission) command(start)).getStartFrom()).containsExactly("clean", "features");
    assertReproduced("m-14");
  }

  @Test
  void aStartFromWithExcludedStagesIsRecovered() {
    EngineDriver first = new EngineDriver(plans());
    Instant at = Instant.parse("2026-11-22T10:00:00Z");
    first.input(new MissionCommand("m-15", new Actor(ActorKind.USER, "ann", "laptop"), at,
        new StartMission("diamond", Map.of(), List.of("clean"), List.of("features"), false, 0)), at);

    InputsFromLog.Recovered recovered = InputsFromLog.from(first.log("m-15"));
    StartMission start = (StartMission) command(recovered.inputs().get(0));
    EngineDriver replay = new EngineDriver(plans());
    recovered.inputs().forEach(replay::replay);

    assertThat(start.getExcludedStages()).containsExactly("clean");
    assertThat(start.getStartFrom()).containsExactly("features");
    assertThat(replay.log("m-15")).isEqualTo(first.log("m-15"));
    assertThat(replay.stored("m-15")).isEqualTo(first.stored("m-15"));
  }

  /** The fan-out stage ends with its last chunk's report, in that report's events: no report of its own. */
  @Test
  void aMissionThatFansOutIsReproducedWithItsStageEndingOnTheLastChunk() {
    original.start("m-20", "fan");
    original.stage("m-20", "score[0]").finished(Map.of("n", "1"));
    original.stage("m-20", "score[1]").started();
    original.stage("m-20", "score[1]").finished(Map.of("n", "2"));
    original.stage("m-20", "score[2]").finished(Map.of("n", "3"));
    original.stage("m-20", "score[3]").finished(Map.of("n", "4"));
    original.stage("m-20", "publish").finished();
    assertThat(original.mission("m-20").status()).isEqualTo(MissionStatus.FINISHED);

    assertReproduced("m-20");
    assertThat(InputsFromLog.from(original.log("m-20")).inputs()).extracting(ReplayInput::description)
        .noneMatch(d -> d.contains("stage 'score' "));
  }

  @Test
  void aChunkMarkedFailedIsRecoveredWithTheFanOutStageItFailed() {
    original.start("m-21", "fan");
    original.stage("m-21", "score[0]").finished(Map.of("n", "1"));
    original.fail("m-21", "score[1]");
    original.fail("m-21", "score[2]");
    assertThat(original.mission("m-21").status()).isEqualTo(MissionStatus.FAILED);

    assertReproduced("m-21");
  }

  @Test
  void aSkipOfTheFailedChunkThatReopensItsFanOutIsRecovered() {
    original.start("m-24", "fan");
    original.stage("m-24", "score[0]").failedForGood("bad ids");
    original.stage("m-24", "score[1]").finished(Map.of("n", "2"));
    original.skip("m-24", "score[0]");
    original.stage("m-24", "score[2]").finished(Map.of("n", "3"));
    assertThat(original.mission("m-24").status()).isEqualTo(MissionStatus.RUNNING);

    assertReproduced("m-24");
  }

  /** 'load' fails for good in the input that released it: the report of 'extract', or the skip of it. */
  @Test
  void aStageWhoseParamsCannotBeResolvedFailsInTheInputThatReleasedIt() {
    original.start("m-22", "dataflow");
    original.stage("m-22", "extract").finished(Map.of("rows", "1"));
    original.start("m-23", "dataflow");
    original.skip("m-23", "extract");
    assertThat(original.mission("m-22").status()).isEqualTo(MissionStatus.FAILED);
    assertThat(original.mission("m-23").status()).isEqualTo(MissionStatus.FAILED);

    assertReproduced("m-22");
    assertReproduced("m-23");
  }

  @Test
  void recoveryStopsWhereNoKnownInputLeavesTheEventsAndSaysWhere() {
    original.start("m-7", "diamond");
    List<MissionEvent> log = new ArrayList<>(original.log("m-7"));
    MissionEvent start = log.get(0);
    log.add(new MissionEvent("m-7", log.size() + 1L, start.getTimestamp().plusSeconds(9), start.getCause(),
        new StageReset("extract", "reset by a build that does not exist", true)));

    InputsFromLog.Recovered recovered = InputsFromLog.from(log);

    assertThat(recovered.inputs()).hasSize(1);
    assertThat(recovered.stoppedAt()).hasValueSatisfying(why -> assertThat(why)
        .startsWith("event " + log.size() + " (StageReset, COMMAND from USER ann on laptop): ")
        .contains("no input known", "manualOperation"));
  }

  @Test
  void aReasonIsReadBackFromTheTextTheCoordinatorMadeOfIt() {
    assertThat(InputsFromLog.reasonAfter("skipped by ann", "skipped by ann")).contains(java.util.Optional.empty());
    assertThat(InputsFromLog.reasonAfter("skipped by ann: late: again", "skipped by ann")).contains(
        java.util.Optional.of("late: again"));
    assertThat(InputsFromLog.reasonAfter("skipped by bob", "skipped by ann")).isEmpty();
  }

  private List<String> kinds(ReplayInput input) {
    return input.expected().stream().map(e -> e.getEvent().getClass().getSimpleName()).toList();
  }

  private static Object command(ReplayInput input) {
    return ((MissionCommand) input.record()).getCommand();
  }
}
