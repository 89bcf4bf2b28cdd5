package io.groundcontrol.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.mission.InMemoryPlans;
import io.groundcontrol.mission.MissionHarness;
import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.mission.TimerFired;
import io.groundcontrol.schema.CauseKind;
import io.groundcontrol.schema.InputRejected;
import io.groundcontrol.schema.RejectionReason;
import io.groundcontrol.schema.RunStage;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.StageRetryScheduled;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class ReplayPacerTest {
  /** Before the harness's first input, so no input is stamped in the past. */
  private static final Instant T0 = Instant.parse("2026-11-22T09:00:00Z");

  private final MissionHarness original = new MissionHarness(new InMemoryPlans().apply(TestPlan.diamond()));

  private List<ReplayInput> inputs() {
    original.start("m-1", "diamond").stage("m-1", "extract").runs();
    return InputsFromLog.from(original.log("m-1")).inputs();
  }

  @Test
  void eachInputGoesOutOnlyOnceEveryEventOfTheOneBeforeIsBack() {
    List<ReplayInput> inputs = inputs();
    List<MissionEvent> log = original.log("m-1");
    ReplayPacer pacer = new ReplayPacer(inputs);

    assertThat(pacer.begin(T0)).containsExactly(inputs.get(0));
    assertThat(pacer.onEvent(log.get(0), T0)).isEmpty();
    assertThat(pacer.onEvent(log.get(1), T0)).as("the start's last event").containsExactly(inputs.get(1));
    assertThat(pacer.onEvent(log.get(2), T0)).containsExactly(inputs.get(2));
    for (MissionEvent event : log.subList(3, log.size())) {
      pacer.onEvent(event, T0);
    }

    assertThat(pacer.done()).isTrue();
    assertThat(pacer.divergence()).isEmpty();
    assertThat(pacer.mismatches()).isEmpty();
    assertThat(pacer.reached()).isEqualTo(log.size());
    assertThat(pacer.shift()).as("inputs stamped in the future of " + T0 + " need no shift").isZero();
  }

  @Test
  void inputsStampedInThePastAreShiftedToNowAndTheShiftIsTakenOffTheirEvents() {
    List<ReplayInput> inputs = inputs();
    List<MissionEvent> log = original.log("m-1");
    Instant now = inputs.get(0).timestamp().plus(Duration.ofDays(30));
    ReplayPacer pacer = new ReplayPacer(inputs);

    pacer.begin(now);
    Duration shift = pacer.shift();
    for (MissionEvent event : log) {
      pacer.onEvent(TimeShift.shift(event, shift), now);
    }

    assertThat(shift).isEqualTo(Duration.ofDays(30));
    assertThat(pacer.mismatches()).isEmpty();
    assertThat(pacer.replayed()).isEqualTo(log);
    assertThat(pacer.shift()).as("the later inputs are stamped after now already").isEqualTo(shift);
  }

  @Test
  void anEventOfAnotherKindThanTheOriginalsEndsTheReplay() {
    List<ReplayInput> inputs = inputs();
    List<MissionEvent> log = original.log("m-1");
    ReplayPacer pacer = new ReplayPacer(inputs);
    pacer.begin(T0);
    pacer.onEvent(log.get(0), T0);
    pacer.onEvent(log.get(1), T0);
    MissionEvent rejection = new MissionEvent("m-1", 3L, log.get(2).getTimestamp(), log.get(2).getCause(),
        new InputRejected("start stage 'extract' (attempt 1) from worker w-1", "Expected ..., but ...",
            RejectionReason.WRONG_STAGE_STATE));

    assertThat(pacer.onEvent(rejection, T0)).isEmpty();

    assertThat(pacer.done()).isTrue();
    assertThat(pacer.divergence()).hasValue(
        "after start stage 'extract' (attempt 1) from worker w-1 the original has event 3 StageStarted, but the replay "
            + "event 3 InputRejected");
  }

  @Test
  void aStartRejectedForAnUnloadedPlanIsSentAgainWhenTheCoordinatorFallsQuiet() {
    List<ReplayInput> inputs = inputs();
    ReplayPacer pacer = new ReplayPacer(inputs);
    pacer.begin(T0);
    MissionEvent start = original.log("m-1").get(0);

    pacer.onEvent(new MissionEvent("m-1", 0L, start.getTimestamp(), start.getCause(),
        new InputRejected("start mission on plan 'diamond'", "Expected plan 'diamond' to be applied, but it is unknown",
            RejectionReason.UNKNOWN_PLAN)), T0);

    assertThat(pacer.done()).isFalse();
    assertThat(pacer.onQuiet()).contains(inputs.get(0));
    assertThat(pacer.onQuiet()).as("once per rejection").isEmpty();
    assertThat(pacer.startResends()).isEqualTo(1);
  }

  @Test
  void aResetLoggedBeforeV10MatchesThisBuildsWhichCountsTheStagesRetriesAnew() {
    original.start("m-1", "diamond").stage("m-1", "extract").failedForGood("disk full").retry("m-1", "extract", false);
    List<MissionEvent> replay = original.log("m-1");
    List<MissionEvent> logBeforeV10 = replay.stream().map(LogsBeforeV10::asWritten).toList();
    assertThat(logBeforeV10).as("the log has a reset").isNotEqualTo(replay);
    ReplayPacer pacer = new ReplayPacer(InputsFromLog.from(logBeforeV10).inputs());

    pacer.begin(T0);
    replay.forEach(event -> pacer.onEvent(event, T0));

    assertThat(pacer.divergence()).isEmpty();
    assertThat(pacer.mismatches()).isEmpty();
    assertThat(pacer.replayed()).isEqualTo(logBeforeV10);
  }

  @Test
  void sameKindButOtherContentsIsNotedAndTheReplayGoesOn() {
    List<ReplayInput> inputs = inputs();
    List<MissionEvent> log = original.log("m-1");
    ReplayPacer pacer = new ReplayPacer(inputs);
    pacer.begin(T0);
    MissionEvent later = MissionEvent.newBuilder(log.get(0)).setTimestamp(log.get(0).getTimestamp().plusMillis(5)).build();

    pacer.onEvent(later, T0);

    assertThat(pacer.divergence()).isEmpty();
    assertThat(pacer.mismatches()).singleElement().asString().startsWith("event 1 differs: original {");
  }

  /** Retries from 100 ms and a timeout on 'extract', so timers dispatch retries and fail an attempt. */
  private static final TestPlan TIMED = TestPlan.named("timed")
      .stage("extract", "warehouse").retry(3, 100).timeout(30_000)
      .stage("clean", "warehouse", "extract");

  private List<MissionEvent> timedLog() {
    MissionHarness timed = new MissionHarness(new InMemoryPlans().apply(TIMED));
    timed.start("m-2", "timed").stage("m-2", "extract").started().stage("m-2", "extract").failed("flaky");
    timed.fire("m-2", "extract", TimerFired.Kind.RETRY).stage("m-2", "extract").started();
    timed.fire("m-2", "extract", TimerFired.Kind.TIMEOUT).fire("m-2", "extract", TimerFired.Kind.RETRY);
    timed.stage("m-2", "extract").runs().stage("m-2", "clean").runs();
    return timed.log("m-2");
  }

  /** Feeds the log to a pacer, each timer-caused event changed by {@code replayTimer}, as a coordinator firing later would. */
  private static ReplayPacer paced(List<MissionEvent> log, UnaryOperator<MissionEvent> replayTimer) {
    ReplayPacer pacer = new ReplayPacer(InputsFromLog.from(log).inputs());
    pacer.begin(T0);
    for (MissionEvent event : log) {
      pacer.onEvent(event.getCause().getKind() == CauseKind.TIMER ? replayTimer.apply(event) : event, T0);
    }
    return pacer;
  }

  private static MissionEvent firedLater(MissionEvent event, Duration late, Duration backoffChange) {
    MissionEvent later = MissionEvent.newBuilder(event).setTimestamp(event.getTimestamp().plus(late)).build();
    if (later.getEvent() instanceof StageRetryScheduled retry) {
      later.setEvent(StageRetryScheduled.newBuilder(retry).setDueAt(retry.getDueAt().plus(late).plus(backoffChange)).build());
    }
    return later;
  }

  @Test
  void timersFiringAtOtherTimesThanTheOriginalsAreToleratedAndKeptWithTheOriginalTimes() {
    List<MissionEvent> log = timedLog();
    assertThat(log).filteredOn(e -> e.getCause().getKind() == CauseKind.TIMER)
        .extracting(e -> e.getEvent().getClass().getSimpleName())
        .containsExactly("StageDispatched", "StageFailed", "StageRetryScheduled", "StageDispatched");

    ReplayPacer pacer = paced(log, e -> firedLater(e, Duration.ofMillis(137), Duration.ZERO));

    assertThat(pacer.done()).isTrue();
    assertThat(pacer.divergence()).isEmpty();
    assertThat(pacer.mismatches()).isEmpty();
    assertThat(pacer.replayed()).as("with the original's fire times").isEqualTo(log);
    assertThat(pacer.timerDrift()).isEqualTo(Duration.ofMillis(137));
  }

  @Test
  void aRetryAfterATimeoutWithAnotherBackoffIsAMismatch() {
    List<MissionEvent> log = timedLog();

    ReplayPacer pacer = paced(log, e -> firedLater(e, Duration.ofMillis(137), Duration.ofMillis(5)));

    assertThat(pacer.divergence()).isEmpty();
    assertThat(pacer.mismatches()).singleElement().asString().contains("StageRetryScheduled");
  }

  @Test
  void aTimerFiringSoonerThanTheInputBeforeItInTheOriginalIsADivergenceThatSaysSo() {
    List<MissionEvent> log = timedLog();
    ReplayPacer pacer = new ReplayPacer(InputsFromLog.from(log).inputs());
    pacer.begin(T0);
    int timer = 0;
    while (log.get(timer).getCause().getKind() != CauseKind.TIMER) {
      timer++;
    }
    for (MissionEvent event : log.subList(0, timer - 2)) {
      pacer.onEvent(event, T0);
    }

    pacer.onEvent(MissionEvent.newBuilder(log.get(timer)).setSequence(log.get(timer - 2).getSequence()).build(), T0);

    assertThat(pacer.divergence()).hasValueSatisfying(why -> assertThat(why).endsWith(
        "(a timer fired sooner after the inputs before it than in the original)"));
  }

  /**
   * Before 2026-12-07 the mission logged a results index's answer at the time of the lookup it
   * answered, before a report logged ahead of it; this build logs it no earlier than that report.
   * A replay of such a log keeps the original's times for the answer's events, as for timers.
   */
  @Test
  void answersOfTheResultsIndexLoggedAtTheirLookupsTimeBeforeReplayWithTheOriginalTimes() {
    MissionHarness reusing = new MissionHarness(new InMemoryPlans().apply(TestPlan.named("reusing")
        .stage("list", "catalog")
        .stage("extract", "warehouse").reuse(3_600_000)
        .stage("score", "scorer", "list", "extract")));
    reusing.start("m-3", "reusing");
    Instant lookedUp = reusing.lastEventRecords().get(0).getTimestamp();
    reusing.stage("m-3", "list").runs();
    reusing.resultAnswerStampedAt("m-3", "extract", new RunStage(), lookedUp);
    reusing.stage("m-3", "extract").runs().stage("m-3", "score").runs();
    List<MissionEvent> replayed = reusing.log("m-3");
    List<MissionEvent> loggedBefore = replayed.stream()
        .map(e -> e.getCause().getKind() == CauseKind.RESULTS ? MissionEvent.newBuilder(e).setTimestamp(lookedUp).build() : e)
        .toList();
    assertThat(loggedBefore).isNotEqualTo(replayed);

    ReplayPacer pacer = new ReplayPacer(InputsFromLog.from(loggedBefore).inputs());
    pacer.begin(T0);
    replayed.forEach(event -> pacer.onEvent(event, T0));

    assertThat(pacer.done()).isTrue();
    assertThat(pacer.divergence()).isEmpty();
    assertThat(pacer.mismatches()).isEmpty();
    assertThat(pacer.replayed()).isEqualTo(loggedBefore);
    assertThat(pacer.timerDrift()).as("an answer is no timer").isZero();
  }
}
