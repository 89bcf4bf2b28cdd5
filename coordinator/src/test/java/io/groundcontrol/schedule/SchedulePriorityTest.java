package io.groundcontrol.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.mission.MissionIds;
import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.OverlapPolicy;
import io.groundcontrol.schema.Schedule;
import io.groundcontrol.schema.ScheduleCommand;
import io.groundcontrol.schema.ScheduleState;
import io.groundcontrol.schema.ScheduledMissionStatus;
import io.groundcontrol.schema.TriggerSchedule;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every mission a schedule starts carries the schedule's priority, as a start with --priority does. */
class SchedulePriorityTest {
  private static final Instant T0 = Instant.parse("2026-06-01T10:00:00Z");
  private static final Duration HOUR = Duration.ofHours(1);
  private static final Actor ANN = new Actor(ActorKind.USER, "ann", null);

  private final ScheduleDecider decider = new ScheduleDecider();

  private static Schedule.Builder hourly(int priority) {
    return Schedule.newBuilder().setName("nightly").setPlan("p").setEveryMs(HOUR.toMillis()).setPriority(priority)
        .setOverlap(OverlapPolicy.ALLOW);
  }

  private static List<ScheduleEffect.Start> starts(List<ScheduleEffect> effects) {
    return effects.stream().filter(ScheduleEffect.Start.class::isInstance).map(ScheduleEffect.Start.class::cast).toList();
  }

  @Test
  void aDueFireACatchUpAndAFireNowStartTheirMissionsAtTheSchedulesPriority() {
    ScheduleState state = ScheduleDecider.newState(
        hourly(7).setCatchUpWindowMs(HOUR.multipliedBy(6).toMillis()).setCatchUpMax(2).build(), T0);

    assertThat(starts(decider.tick(state, T0.plus(HOUR)))).singleElement()
        .isEqualTo(new ScheduleEffect.Start(MissionIds.forFire("nightly", T0.plus(HOUR)), "p", Map.of(), 7));
    assertThat(starts(decider.tick(state, T0.plus(HOUR.multipliedBy(5)).plusSeconds(120))))
        .as("after an outage: two catch-up fires").hasSize(2).extracting(ScheduleEffect.Start::priority)
        .containsExactly(7, 7);
    Instant now = T0.plus(HOUR.multipliedBy(5)).plusSeconds(180);
    ScheduleCommand fireNow = new ScheduleCommand("nightly", ANN, now, new TriggerSchedule(Map.of("k", "\"v\""), null));
    assertThat(starts(decider.command(state, fireNow, now, now))).singleElement()
        .isEqualTo(new ScheduleEffect.Start(MissionIds.forManualFire("nightly", now), "p", Map.of("k", "\"v\""), 7));
  }

  @Test
  void aFireNowGivenAPriorityStartsItsMissionAtThatPriorityAlsoWhenReadAgain() {
    ScheduleDecider readingAgain = new ScheduleDecider(ReadPositions.AT_LEAST_ONCE);
    ScheduleState state = ScheduleDecider.newState(hourly(7).build(), T0);
    ScheduleCommand fireNow = new ScheduleCommand("nightly", ANN, T0, new TriggerSchedule(Map.of(), -3));
    ScheduleEffect.Start atMinusThree = new ScheduleEffect.Start(MissionIds.forManualFire("nightly", T0), "p", Map.of(), -3);

    assertThat(starts(readingAgain.command(state, fireNow, T0, T0, ReadPositions.at(0, T0)))).containsExactly(atMinusThree);
    assertThat(starts(readingAgain.command(state, fireNow, T0, T0.plusSeconds(60), ReadPositions.at(0, T0))))
        .as("read again after a crash").containsExactly(atMinusThree);
  }

  @Test
  void aChangeOfOnlyThePriorityRefiresNothingAndAppliesFromTheNextFire() {
    ScheduleState state = ScheduleDecider.newState(hourly(0).build(), T0);
    assertThat(starts(decider.tick(state, T0.plus(HOUR)))).extracting(ScheduleEffect.Start::priority).containsExactly(0);

    assertThat(decider.redefine(state, hourly(9).build(), T0.plus(HOUR).plusSeconds(1))).isEmpty();
    assertThat(state.getHandledUntil()).isEqualTo(T0.plus(HOUR));

    assertThat(starts(decider.tick(state, T0.plus(HOUR).plusSeconds(2)))).as("nothing due until the next fire").isEmpty();
    assertThat(starts(decider.tick(state, T0.plus(HOUR.multipliedBy(2))))).singleElement()
        .isEqualTo(new ScheduleEffect.Start(MissionIds.forFire("nightly", T0.plus(HOUR.multipliedBy(2))), "p", Map.of(), 9));
  }

  @Test
  void aFireBufferedBeforeAPriorityChangeRunsAtTheNewPriority() {
    ScheduleState state = ScheduleDecider.newState(hourly(1).setOverlap(OverlapPolicy.BUFFER_ONE).build(), T0);
    decider.tick(state, T0.plus(HOUR));
    assertThat(starts(decider.tick(state, T0.plus(HOUR.multipliedBy(2))))).as("the first mission still runs").isEmpty();
    assertThat(state.getBuffered()).isEqualTo(T0.plus(HOUR.multipliedBy(2)));

    decider.redefine(state, hourly(4).setOverlap(OverlapPolicy.BUFFER_ONE).build(), T0.plus(HOUR.multipliedBy(2)));
    state.setLastMissionStatus(ScheduledMissionStatus.FINISHED);

    assertThat(starts(decider.tick(state, T0.plus(HOUR.multipliedBy(2)).plusSeconds(1))))
        .extracting(ScheduleEffect.Start::priority).containsExactly(4);
  }
}
