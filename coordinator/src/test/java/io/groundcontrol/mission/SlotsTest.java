package io.groundcontrol.mission;

import static io.groundcontrol.schema.StageStatus.DISPATCHED;
import static io.groundcontrol.schema.StageStatus.QUEUED;
import static io.groundcontrol.schema.StageStatus.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.InstructionKind;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.StageInstruction;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A mission's side of capped components: ready stages queue, a grant dispatches, and every way an
 * attempt ends gives its slot back (or withdraws its request), exactly once.
 */
class SlotsTest {
  private final InMemoryPlans plans = new InMemoryPlans();
  private final MissionHarness harness = new MissionHarness(plans, Set.of("bq")::contains);

  SlotsTest() {
    plans.apply(TestPlan.named("p").stage("load", "bq").timeout(60_000).startTimeout(30_000).retry(2, 1000).stage("report", "mail", "load"));
  }

  private StageView stage(String name) {
    return harness.mission("m1").stage(name).orElseThrow();
  }

  private List<Effect.ReleaseSlot> releases() {
    return harness.lastEffects().stream().filter(Effect.ReleaseSlot.class::isInstance)
        .map(Effect.ReleaseSlot.class::cast).toList();
  }

  private List<Effect.RequestSlot> requests() {
    return harness.lastEffects().stream().filter(Effect.RequestSlot.class::isInstance)
        .map(Effect.RequestSlot.class::cast).toList();
  }

  @Test
  void aReadyStageOfACappedComponentQueuesAndAsksForASlotInsteadOfBeingDispatched() {
    harness.startWithPriority("m1", "p", 7);

    assertThat(harness.lastEvents()).containsExactly("MissionStarted", "StageQueued");
    assertThat(harness.lastInstructions()).isEmpty();
    assertThat(harness.timers()).isEmpty();
    assertThat(requests()).as("with what the admission needs to send the RUN itself")
        .containsExactly(new Effect.RequestSlot("bq", "load", 1, "p", 7, Map.of(), 60_000L));
    assertThat(stage("load").status()).isEqualTo(QUEUED);
    assertThat(stage("load").attempt()).isEqualTo(1);
  }

  @Test
  void aGrantRecordsTheDispatchTheAdmissionSentAndStartsItsStartTimeoutThen() {
    harness.start("m1", "p").grant("m1", "load");

    assertThat(harness.lastEvents()).containsExactly("StageDispatched");
    assertThat(harness.lastInstructions()).as("the admission sent the RUN with the grant").isEmpty();
    assertThat(harness.lastEventRecords().get(0).getCause().getKind().name()).isEqualTo("ADMISSION");
    assertThat(stage("load").status()).isEqualTo(DISPATCHED);
    assertThat(stage("load").slotGranted()).isTrue();
    assertThat(harness.timers()).singleElement().satisfies(t -> {
      assertThat(t.kind()).isEqualTo(TimerFired.Kind.START_TIMEOUT);
      assertThat(t.dueAt()).as("counted from the dispatch, after the grant")
          .isEqualTo(harness.lastEventRecords().get(0).getTimestamp().plusSeconds(30));
    });
  }

  @Test
  void aGrantFromBeforeTheAdmissionSentInstructionsIsSentByTheMission() {
    harness.start("m1", "p").grantWithoutInstruction("m1", "load");

    assertThat(harness.lastEvents()).containsExactly("StageDispatched");
    assertThat(harness.lastInstructions()).singleElement().extracting(StageInstruction::getKind)
        .isEqualTo(InstructionKind.RUN);
    assertThat(stage("load").slotGranted()).isTrue();
  }

  @Test
  void anUncappedDownstreamStageKeepsTheDirectPath() {
    harness.start("m1", "p").grant("m1", "load").stage("m1", "load").runs();

    assertThat(harness.lastEvents()).containsExactly("StageFinished", "StageDispatched");
    assertThat(releases()).singleElement().satisfies(r -> assertThat(r.why()).isEqualTo("finished"));
    assertThat(stage("report").slotGranted()).isFalse();
  }

  @Test
  void aFailedAttemptGivesBackItsSlotAndItsRetryQueuesAgain() {
    harness.start("m1", "p").grant("m1", "load").stage("m1", "load").failed("boom");
    assertThat(releases()).singleElement().satisfies(r -> assertThat(r.attempt()).isEqualTo(1));

    harness.fire("m1", "load", TimerFired.Kind.RETRY);
    assertThat(harness.lastEvents()).containsExactly("StageQueued");
    assertThat(requests()).singleElement().satisfies(r -> assertThat(r.attempt()).isEqualTo(2));
  }

  @Test
  void aTimedOutAttemptGivesBackItsSlot() {
    harness.start("m1", "p").grant("m1", "load").stage("m1", "load").started();
    harness.fire("m1", "load", TimerFired.Kind.TIMEOUT);

    assertThat(harness.lastEvents()).contains("StageFailed");
    assertThat(releases()).hasSize(1);
  }

  @Test
  void anAttemptWhoseWorkerIsLostGivesBackItsSlot() {
    harness.start("m1", "p").grant("m1", "load").stage("m1", "load").startedHeartbeating(1000);
    harness.fire("m1", "load", TimerFired.Kind.LIVENESS);

    assertThat(harness.lastEvents()).contains("StageFailed");
    assertThat(releases()).hasSize(1);
  }

  @Test
  void skippingARunningStageGivesBackItsSlotAndSkippingAQueuedOneWithdrawsItsRequest() {
    harness.start("m1", "p").grant("m1", "load").skip("m1", "load");
    assertThat(releases()).singleElement().satisfies(r -> assertThat(r.queued()).isFalse());
    assertThat(harness.lastInstructions()).filteredOn(i -> i.getStage().equals("load"))
        .extracting(StageInstruction::getKind).containsExactly(InstructionKind.CANCEL);

    harness.start("m2", "p").skip("m2", "load");
    assertThat(releases()).singleElement().satisfies(r -> {
      assertThat(r.why()).isEqualTo("skipped");
      assertThat(r.queued()).as("if granted meanwhile, the admission stops the worker").isTrue();
    });
    assertThat(harness.lastInstructions()).extracting(StageInstruction::getKind).doesNotContain(InstructionKind.CANCEL);
  }

  @Test
  void markingAQueuedStageFailedWithdrawsItsRequest() {
    harness.start("m1", "p").fail("m1", "load");

    assertThat(releases()).hasSize(1);
    assertThat(harness.mission("m1").status()).isEqualTo(MissionStatus.FAILED);
  }

  @Test
  void cancellingAMissionGivesBackEverySlotItHoldsOrAwaits() {
    plans.apply(TestPlan.named("wide").stage("a", "bq").stage("b", "bq").stage("c", "bq"));
    harness.start("m1", "wide").grant("m1", "a").grant("m1", "b").cancel("m1");

    assertThat(releases()).extracting(Effect.ReleaseSlot::stage).containsExactly("a", "b", "c");
    assertThat(releases()).extracting(Effect.ReleaseSlot::queued).containsExactly(false, false, true);
    assertThat(harness.lastInstructions()).extracting(StageInstruction::getStage).containsExactly("a", "b");
  }

  @Test
  void aGrantThatComesAfterTheStageWasWithdrawnIsGivenBackAtOnce() {
    harness.start("m1", "p").skip("m1", "load").grant("m1", "load", 1);

    assertThat(harness.lastEvents()).isEmpty();
    assertThat(releases()).singleElement().satisfies(r -> {
      assertThat(r.attempt()).isEqualTo(1);
      assertThat(r.queued()).as("should the withdrawal have been lost, the admission stops the worker").isTrue();
    });
  }

  @Test
  void aGrantForAnOlderAttemptDispatchesNothing() {
    harness.start("m1", "p").grant("m1", "load").stage("m1", "load").failed("boom");
    harness.fire("m1", "load", TimerFired.Kind.RETRY).grant("m1", "load", 1);

    assertThat(harness.lastInstructions()).isEmpty();
    assertThat(stage("load").status()).isEqualTo(QUEUED);
    assertThat(releases()).hasSize(1);
  }

  @Test
  void aQueuedStageKeepsTheMissionRunning() {
    harness.start("m1", "p");

    assertThat(harness.mission("m1").status()).isEqualTo(MissionStatus.RUNNING);
    assertThat(harness.mission("m1").pendingStageCount()).isEqualTo(1);
  }

  @Test
  void aStartedReportThatOvertakesTheGrantRecordsTheDispatchFirst() {
    harness.start("m1", "p").stage("m1", "load").started();

    assertThat(harness.lastEvents()).containsExactly("StageDispatched", "StageStarted");
    assertThat(harness.lastEventRecords()).extracting(e -> e.getCause().getKind().name()).containsOnly("REPORT");
    assertThat(stage("load").status()).isEqualTo(RUNNING);
    assertThat(stage("load").slotGranted()).isTrue();
    assertThat(harness.timers()).extracting(TimerFired::kind).containsExactly(TimerFired.Kind.TIMEOUT);

    harness.grant("m1", "load");
    assertThat(harness.lastEvents()).as("the dispatch is recorded once").isEmpty();
    assertThat(harness.lastEffects()).as("the slot stays with the running attempt").isEmpty();
    assertThat(stage("load").status()).isEqualTo(RUNNING);
  }

  @Test
  void aFinishedReportThatOvertakesTheGrantRecordsTheDispatchAndGivesTheSlotBack() {
    harness.start("m1", "p").stage("m1", "load").finished();

    assertThat(harness.lastEvents())
        .containsExactly("StageDispatched", "StageFinished", "StageDispatched");
    assertThat(stage("load").worker()).hasValue("w-1");
    assertThat(harness.timers()).as("no timeout for an attempt already over")
        .extracting(TimerFired::kind).doesNotContain(TimerFired.Kind.TIMEOUT, TimerFired.Kind.LIVENESS);
    assertThat(releases()).singleElement().satisfies(r -> {
      assertThat(r.why()).isEqualTo("finished");
      assertThat(r.queued()).isFalse();
    });

    harness.grant("m1", "load", 1);
    assertThat(harness.lastEvents()).isEmpty();
    assertThat(releases()).as("released again, which the admission, having freed it, ignores; the mission cannot "
        + "tell this grant from one answering the request read again").singleElement()
        .satisfies(r -> assertThat(r.why()).isEqualTo("granted after the attempt ended"));
  }

  /**
   * Under at-least-once the admission may read a slot request again after the attempt's end gave
   * the slot back, and grant it anew: the grant finds the attempt ended on its slot, and hands the
   * slot back, or it would stay held for ever (with the RUN the admission sent, a CANCEL follows).
   */
  @Test
  void aGrantForAnAttemptThatEndedOnItsSlotIsHandedBack() {
    harness.start("m1", "p").grant("m1", "load").stage("m1", "load").started();
    harness.stage("m1", "load").finished();
    assertThat(releases()).extracting(Effect.ReleaseSlot::why).containsExactly("finished");

    harness.grant("m1", "load", 1);

    assertThat(harness.lastEvents()).isEmpty();
    assertThat(releases()).containsExactly(
        new Effect.ReleaseSlot("c", "load", 1, "granted after the attempt ended", true));
  }

  /** As above, after a cancel: a cancelled mission's stages keep their status, still running here. */
  @Test
  void aGrantForAnAttemptOfACancelledMissionIsHandedBack() {
    harness.start("m1", "p").grant("m1", "load").stage("m1", "load").started();
    harness.cancel("m1");
    assertThat(releases()).extracting(Effect.ReleaseSlot::why).containsExactly("mission cancelled");
    assertThat(stage("load").status()).isEqualTo(RUNNING);

    harness.grant("m1", "load", 1);

    assertThat(harness.lastEvents()).isEmpty();
    assertThat(releases()).containsExactly(
        new Effect.ReleaseSlot("c", "load", 1, "granted after the attempt ended", true));
  }

  @Test
  void aFailedReportThatOvertakesTheGrantFailsTheAttemptAndItsRetryQueues() {
    harness.start("m1", "p").stage("m1", "load").failed("boom");

    assertThat(harness.lastEvents()).startsWith("StageDispatched", "StageFailed");
    assertThat(releases()).singleElement().satisfies(r -> assertThat(r.attempt()).isEqualTo(1));

    harness.fire("m1", "load", TimerFired.Kind.RETRY);
    assertThat(stage("load").status()).isEqualTo(QUEUED);
    harness.grant("m1", "load", 1);
    assertThat(harness.lastEvents()).isEmpty();
    assertThat(stage("load").status()).as("the late grant of attempt 1 dispatches nothing").isEqualTo(QUEUED);
  }

  @Test
  void aReportOnAQueuedStageForAnotherAttemptIsRejected() {
    harness.start("m1", "p").stage("m1", "load").failed("boom");
    harness.fire("m1", "load", TimerFired.Kind.RETRY);
    harness.attempt("m1", "load", 1).started();

    assertThat(harness.lastRejection()).contains("but it is on attempt 1");
    assertThat(stage("load").status()).isEqualTo(QUEUED);
  }

  @Test
  void aReportOfAWorkerThatGotTheRunOfAWithdrawnAttemptIsRejectedAndHoldsNoSlot() {
    harness.start("m1", "p").skip("m1", "load").grant("m1", "load", 1);
    harness.stage("m1", "load").started();

    assertThat(harness.lastRejection()).contains("but it is SKIPPED");
    assertThat(releases()).as("the withdrawal gave the slot back already").isEmpty();
  }
}
