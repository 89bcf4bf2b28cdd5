package io.groundcontrol.mission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.Cause;
import io.groundcontrol.schema.CauseKind;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionForgotten;
import io.groundcontrol.schema.MissionStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ended missions are forgotten once they have not changed for the retention period. */
class RetentionTest {
  private static final Duration HOUR = Duration.ofHours(1);

  private final InMemoryPlans plans = new InMemoryPlans().apply(
      TestPlan.named("pair").stage("load", "sql").stage("score", "ml", "load"));
  private final MissionHarness harness =
      new MissionHarness(plans, MissionLimits.DEFAULTS.withRetention(HOUR));

  private MissionHarness finished(String missionId) {
    return harness.start(missionId, "pair").stage(missionId, "load").runs().stage(missionId, "score").runs();
  }

  @Test
  void anEndedMissionIsForgottenOnceUnchangedForThePeriod() {
    finished("m1");
    assertThat(harness.mission("m1").status()).isEqualTo(MissionStatus.FINISHED);

    harness.sweep("m1", HOUR.minusSeconds(1));
    assertThat(harness.lastEvents()).isEmpty();
    assertThat(harness.exists("m1")).isTrue();

    harness.sweep("m1", Duration.ofSeconds(1));
    assertThat(harness.lastEvents()).containsExactly("MissionForgotten");
    MissionForgotten forgotten = (MissionForgotten) harness.lastEventRecords().get(0).getEvent();
    assertThat(forgotten.getRetainedForMs()).isEqualTo(HOUR.toMillis());
    assertThat(forgotten.getStatus()).isEqualTo(MissionStatus.FINISHED);
    assertThat(harness.lastEventRecords().get(0).getCause().getKind()).isEqualTo(CauseKind.TIMER);
    assertThat(harness.lastEffects()).singleElement().isInstanceOfSatisfying(Effect.ForgetMission.class, forget -> {
      assertThat(forget.missionId()).isEqualTo("m1");
      assertThat(forget.planName()).isEqualTo("pair");
      assertThat(forget.status()).isEqualTo(MissionStatus.FINISHED);
    });
    assertThat(harness.exists("m1")).isFalse();
  }

  @Test
  void failedAndCancelledMissionsAreForgottenToo() {
    harness.start("f", "pair").stage("f", "load").failedForGood("bad input");
    harness.start("c", "pair").cancel("c");
    assertThat(harness.mission("f").status()).isEqualTo(MissionStatus.FAILED);
    assertThat(harness.mission("c").status()).isEqualTo(MissionStatus.CANCELLED);

    harness.sweep("f", HOUR);
    assertThat(harness.lastEvents()).containsExactly("MissionForgotten");
    harness.sweep("c", Duration.ZERO);
    assertThat(harness.lastEvents()).containsExactly("MissionForgotten");
    assertThat(((MissionForgotten) harness.lastEventRecords().get(0).getEvent()).getStatus())
        .isEqualTo(MissionStatus.CANCELLED);
  }

  @Test
  void aRunningMissionIsNeverForgotten() {
    harness.start("m1", "pair").stage("m1", "load").started();

    harness.sweep("m1", Duration.ofDays(400));

    assertThat(harness.lastEvents()).isEmpty();
    assertThat(harness.lastEffects()).isEmpty();
    assertThat(harness.mission("m1").status()).isEqualTo(MissionStatus.RUNNING);
  }

  @Test
  void aChangeAfterTheEndCountsThePeriodAgain() {
    finished("m1");
    harness.sweep("m1", Duration.ofMinutes(30));
    harness.stage("m1", "score").finished();
    assertThat(harness.lastEvents()).containsExactly("InputRejected");

    harness.sweep("m1", Duration.ofMinutes(59));
    assertThat(harness.lastEvents()).as("an hour after the end, but not after the late report").isEmpty();

    harness.sweep("m1", Duration.ofMinutes(1));
    assertThat(harness.lastEvents()).containsExactly("MissionForgotten");
  }

  @Test
  void onlyWhatHasBeenReadCounts() {
    finished("m1");

    harness.sweep("m1", HOUR.plusMinutes(5), Duration.ofMinutes(6));

    assertThat(harness.lastEvents()).as("an input written before the hour was over may not be read yet").isEmpty();
    harness.sweep("m1", Duration.ZERO, Duration.ofMinutes(5));
    assertThat(harness.lastEvents()).containsExactly("MissionForgotten");
  }

  @Test
  void aForgottenIdStartsANewMissionNumberedFromOne() {
    finished("m1");
    harness.sweep("m1", HOUR);

    harness.start("m1", "pair");

    assertThat(harness.lastEvents()).containsExactly("MissionStarted", "StageDispatched");
    assertThat(harness.lastEventRecords().get(0).getSequence()).isEqualTo(1);
    assertThat(harness.mission("m1").status()).isEqualTo(MissionStatus.RUNNING);
    // The harness folded the whole log of m1, both missions, into the stored state after each input.
    assertThat(harness.log("m1")).filteredOn(e -> e.getEvent() instanceof MissionForgotten).hasSize(1);
  }

  @Test
  void aForgottenIdIsUnknownToOtherInputs() {
    finished("m1");
    harness.sweep("m1", HOUR);

    harness.cancel("m1");

    assertThat(harness.lastRejectionCode()).isEqualTo(io.groundcontrol.schema.RejectionReason.UNKNOWN_MISSION);
    assertThat(harness.lastEventRecords()).singleElement().extracting(MissionEvent::getSequence).isEqualTo(0L);
  }

  /**
   * The coordinator removes a forgotten mission's timers by a sweep that may not have reached them
   * yet: one that comes due first, of any kind, changes and records nothing.
   */
  @Test
  void theTimersAForgottenMissionLeftChangeNothingWhenTheyComeDue() {
    long day = Duration.ofDays(1).toMillis();
    MissionHarness watched = new MissionHarness(new InMemoryPlans().apply(TestPlan.named("watched")
        .stage("load", "sql").retry(3, 1_000).timeout(30 * day).startTimeout(2 * day)),
        MissionLimits.DEFAULTS.withRetention(HOUR));
    watched.start("m1", "watched").stage("m1", "load").startedHeartbeating(day).stage("m1", "load").failed("reset")
        .cancel("m1").sweep("m1", HOUR);
    assertThat(watched.exists("m1")).isFalse();
    assertThat(watched.timers()).extracting(TimerFired::kind).containsExactlyInAnyOrder(TimerFired.Kind.START_TIMEOUT,
        TimerFired.Kind.TIMEOUT, TimerFired.Kind.LIVENESS, TimerFired.Kind.RETRY);

    for (TimerFired.Kind kind : List.of(TimerFired.Kind.RETRY, TimerFired.Kind.START_TIMEOUT, TimerFired.Kind.TIMEOUT,
        TimerFired.Kind.LIVENESS)) {
      watched.fire("m1", "load", kind);
      assertThat(watched.lastEventRecords()).as(kind.name()).isEmpty();
      assertThat(watched.lastEffects()).as(kind.name()).isEmpty();
      assertThat(watched.exists("m1")).isFalse();
    }
  }

  @Test
  void aRetentionOfZeroKeepsEndedMissionsForEver() {
    MissionHarness forever = new MissionHarness(plans, MissionLimits.DEFAULTS.withRetention(Duration.ZERO));
    forever.start("m1", "pair").stage("m1", "load").runs().stage("m1", "score").runs();

    forever.sweep("m1", Duration.ofDays(10_000));

    assertThat(forever.lastEvents()).isEmpty();
    assertThat(forever.exists("m1")).isTrue();
  }

  @Test
  void theDefaultRetentionIsAWeek() {
    assertThat(MissionLimits.DEFAULTS.retention()).isEqualTo(Duration.ofDays(7));
    assertThatThrownBy(() -> MissionLimits.DEFAULTS.withRetention(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retention");
  }

  @Test
  void replayRefusesToForgetAMissionThatHasNotEnded() {
    harness.start("m1", "pair");
    List<MissionEvent> log = new ArrayList<>(harness.log("m1"));
    log.add(new MissionEvent("m1", (long) log.size() + 1, Instant.parse("2026-11-23T10:00:00Z"),
        new Cause(CauseKind.TIMER, new Actor(ActorKind.COORDINATOR, "timer", null), 0),
        new MissionForgotten(HOUR.toMillis(), MissionStatus.FINISHED)));

    assertThatThrownBy(() -> new EventAppliers().replay(log))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Expected mission 'm1' to have ended before event 3 (MissionForgotten), but it is RUNNING");
  }
}
