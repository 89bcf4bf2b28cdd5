package io.groundcontrol.mission;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Which timers the coordinator may remove before they come due: those that outlived their mission. */
class TimerFiredTest {
  private static final Instant STARTED = Instant.parse("2026-11-22T10:00:00Z");
  private static final Instant DUE = STARTED.plusSeconds(3_600);

  private static TimerFired of(TimerFired.Kind kind, Instant missionStartedAt) {
    return new TimerFired("m1", "load", 1, kind, DUE, missionStartedAt);
  }

  @Test
  void aStagesTimerOutlivesAMissionNoLongerStoredOrStartedAgain() {
    for (TimerFired.Kind kind : new TimerFired.Kind[] {TimerFired.Kind.RETRY, TimerFired.Kind.TIMEOUT,
        TimerFired.Kind.START_TIMEOUT, TimerFired.Kind.LIVENESS}) {
      assertThat(of(kind, STARTED).outlivedItsMission(null)).as(kind + ", forgotten").isTrue();
      assertThat(of(kind, STARTED).outlivedItsMission(STARTED.plusSeconds(60))).as(kind + ", started again").isTrue();
      assertThat(of(kind, STARTED).outlivedItsMission(STARTED)).as(kind + ", its own mission").isFalse();
    }
  }

  @Test
  void aTimerStoredWithoutItsMissionsStartOutlivesOnlyAMissionNoLongerStored() {
    assertThat(of(TimerFired.Kind.TIMEOUT, null).outlivedItsMission(null)).isTrue();
    assertThat(of(TimerFired.Kind.TIMEOUT, null).outlivedItsMission(STARTED.plusSeconds(60))).isFalse();
  }

  @Test
  void aParkedStartsTimerWaitsForAMissionNotStoredYet() {
    assertThat(new TimerFired("m1", "-", 0, TimerFired.Kind.PLAN_WAIT, DUE).outlivedItsMission(null)).isFalse();
    assertThat(new TimerFired("m1", "", 0, TimerFired.Kind.FORGET, DUE).outlivedItsMission(null)).isFalse();
  }
}
