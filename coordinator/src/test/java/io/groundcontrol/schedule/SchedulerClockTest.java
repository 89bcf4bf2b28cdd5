package io.groundcontrol.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.groundcontrol.schema.FiresMissed;
import io.groundcontrol.schema.OverlapPolicy;
import io.groundcontrol.schema.PauseSchedule;
import io.groundcontrol.schema.ResumeSchedule;
import io.groundcontrol.schema.Schedule;
import io.groundcontrol.schema.ScheduleEvent;
import io.groundcontrol.schema.ScheduleFired;
import io.groundcontrol.schema.ScheduleResumed;
import io.groundcontrol.schema.ScheduleState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A schedule's times against the clocks of the hosts that apply and command it, and against edits
 * of its timing: the scheduler counts on its own clock, from when it reads them.
 */
class SchedulerClockTest {
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  private static final Duration HOUR = Duration.ofHours(1);

  @TempDir Path stateDir;
  private SchedulerDriver scheduler;

  @AfterEach
  void tearDown() {
    if (scheduler != null) {
      scheduler.close();
    }
  }

  private SchedulerDriver start() {
    return start(T0);
  }

  private SchedulerDriver start(Instant at) {
    scheduler = SchedulerDriver.withPlanP(stateDir, at);
    return scheduler;
  }

  private static Schedule.Builder everyFiveMinutes() {
    return Schedule.newBuilder().setName("tick").setPlan("p").setEveryMs(Duration.ofMinutes(5).toMillis())
        .setOverlap(OverlapPolicy.ALLOW);
  }

  @Test
  void aScheduleAppliedFromAHostWhoseClockRunsFastFiresFromTheSchedulersNow() {
    start().apply(everyFiveMinutes().build(), T0.plus(HOUR));

    scheduler.advance(Duration.ofMinutes(30), Duration.ofSeconds(10));

    assertThat(scheduler.fires()).extracting(ScheduleFired::getNominalTime)
        .as("every 5 minutes from 10:00, not from the sender's 11:00").hasSize(6)
        .first().isEqualTo(T0.plus(Duration.ofMinutes(5)));
  }

  @Test
  void aScheduleAppliedFromAHostWhoseClockRunsSlowMissesNothingBeforeItWasApplied() {
    start().apply(everyFiveMinutes().setCatchUpWindowMs(Duration.ofHours(6).toMillis()).build(), T0.minus(HOUR));

    scheduler.advance(Duration.ofSeconds(1), Duration.ofMillis(200));

    assertThat(scheduler.scheduleEvents(FiresMissed.class)).as("no FiresMissed for the sender's last hour").isEmpty();
    assertThat(scheduler.fires()).as("no catch-up of fires before the schedule existed").isEmpty();
  }

  @Test
  void aResumeFromAHostWhoseClockRunsSlowDoesNotRunTheFiresOfThePause() {
    start().apply(everyFiveMinutes().setCatchUpWindowMs(Duration.ofHours(6).toMillis()).build());
    scheduler.command("tick", new PauseSchedule("maintenance"));
    scheduler.advance(Duration.ofHours(2), Duration.ofMinutes(1));

    scheduler.command("tick", new ResumeSchedule(), scheduler.now().minus(HOUR));
    scheduler.advance(Duration.ofSeconds(1), Duration.ofMillis(200));

    assertThat(scheduler.fires()).as("no fire of the pause runs").isEmpty();
    assertThat(scheduler.scheduleEvents(ScheduleResumed.class)).extracting(ScheduleResumed::getFiresWhilePaused)
        .as("the pause's 24 fires are counted").containsExactly(24L);
  }

  @Test
  void aResumeFromAHostWhoseClockRunsFastSkipsNoFireAfterIt() {
    start().apply(everyFiveMinutes().build());
    scheduler.command("tick", new PauseSchedule("maintenance"));
    scheduler.advance(Duration.ofHours(2), Duration.ofMinutes(1));

    Instant sentAt = scheduler.now().plus(HOUR);
    scheduler.command("tick", new ResumeSchedule(), sentAt);
    scheduler.advance(Duration.ofMinutes(10), Duration.ofSeconds(10));

    assertThat(scheduler.fires()).extracting(ScheduleFired::getNominalTime)
        .containsExactly(T0.plus(Duration.ofMinutes(125)), T0.plus(Duration.ofMinutes(130)));
    assertThat(scheduler.scheduleEvents()).filteredOn(e -> e.getEvent() instanceof ScheduleResumed)
        .as("the answer carries the command's time, how its sender knows it")
        .extracting(ScheduleEvent::getTimestamp).containsExactly(sentAt);
    assertThat(scheduler.scheduleEvents(ScheduleResumed.class)).extracting(ScheduleResumed::getFiresWhilePaused)
        .containsExactly(24L);
  }

  /** A schedule whose timing is edited: the new timing counts from the edit on. */
  @Nested
  class Edits {
    private static Schedule.Builder hourlyWithCatchUp() {
      return Schedule.newBuilder().setName("tick").setPlan("p").setEveryMs(Duration.ofHours(1).toMillis())
          .setOverlap(OverlapPolicy.ALLOW).setCatchUpWindowMs(Duration.ofHours(6).toMillis()).setCatchUpMax(5);
    }

    @Test
    void aShorterIntervalFiresFromTheEditWithoutCatchingUpOrMissingTheTimesBeforeIt() {
      Schedule hourly = hourlyWithCatchUp().build();
      start(T0).apply(hourly);
      scheduler.advance(Duration.ofMinutes(110), Duration.ofMinutes(1));
      assertThat(scheduler.fires()).hasSize(1);

      scheduler.apply(Schedule.newBuilder(hourly).setEveryMs(Duration.ofMinutes(1).toMillis()).build());
      scheduler.advance(Duration.ofMinutes(2), Duration.ofSeconds(10));

      assertThat(scheduler.fires()).extracting(ScheduleFired::getNominalTime, ScheduleFired::getCatchUp)
          .as("11:00 under the old timing, then 11:51 and 11:52 under the new").containsExactly(
              tuple(T0.plus(Duration.ofHours(1)), false),
              tuple(T0.plus(Duration.ofMinutes(111)), false),
              tuple(T0.plus(Duration.ofMinutes(112)), false));
      assertThat(scheduler.scheduleEvents(FiresMissed.class)).as("the scheduler ran: nothing was missed").isEmpty();
    }

    @Test
    void aDailyCronMovedToAnHourAlreadyPastTodayDoesNotCatchItUp() {
      Schedule threeAm = Schedule.newBuilder().setName("daily").setPlan("p").setCron("0 3 * * *")
          .setOverlap(OverlapPolicy.ALLOW).setCatchUpWindowMs(Duration.ofHours(6).toMillis()).setCatchUpMax(1)
          .build();
      start(Instant.parse("2026-11-21T02:50:00Z")).apply(threeAm);
      scheduler.advance(Duration.ofMinutes(20), Duration.ofMinutes(1));
      scheduler.jump(Duration.ofHours(22).plusMinutes(50));
      assertThat(scheduler.fires()).hasSize(1);

      scheduler.apply(Schedule.newBuilder(threeAm).setCron("0 1 * * *").build());
      scheduler.advance(Duration.ofHours(2), Duration.ofMinutes(1));

      assertThat(scheduler.fires()).as("neither today's 01:00, passed at the edit, nor 03:00").hasSize(1);
      assertThat(scheduler.scheduleEvents(FiresMissed.class)).isEmpty();
    }

    @Test
    void anEndAtExtendedAfterItPassedDoesNotCatchUpTheGap() {
      Schedule ending = hourlyWithCatchUp().setEndAt(T0.plus(Duration.ofMinutes(90))).build();
      start(T0).apply(ending);
      scheduler.advance(Duration.ofMinutes(100), Duration.ofMinutes(1));
      scheduler.jump(Duration.ofHours(4));
      assertThat(scheduler.fires()).hasSize(1);

      scheduler.apply(Schedule.newBuilder(ending).setEndAt(T0.plus(Duration.ofDays(1))).build());
      scheduler.advance(Duration.ofMinutes(30), Duration.ofMinutes(1));

      assertThat(scheduler.fires()).extracting(ScheduleFired::getNominalTime, ScheduleFired::getCatchUp)
          .as("11:00, then 16:00 after the edit at 15:40; not 12:00 to 15:00").containsExactly(
              tuple(T0.plus(Duration.ofHours(1)), false), tuple(T0.plus(Duration.ofHours(6)), false));
      assertThat(scheduler.scheduleEvents(FiresMissed.class)).isEmpty();
    }

    @Test
    void aResumeCountsThePausesFiresUnderTheOldTimingUntilTheEditAndUnderTheNewOneAfter() {
      Schedule hourly = hourlyWithCatchUp().build();
      start(T0).apply(hourly);
      scheduler.command("tick", new PauseSchedule("maintenance"));
      scheduler.advance(Duration.ofMinutes(150), Duration.ofMinutes(1));

      scheduler.apply(Schedule.newBuilder(hourly).setEveryMs(Duration.ofMinutes(15).toMillis()).build());
      scheduler.advance(Duration.ofMinutes(60), Duration.ofMinutes(1));
      scheduler.command("tick", new ResumeSchedule());
      scheduler.advance(Duration.ofSeconds(1), Duration.ofMillis(200));

      assertThat(scheduler.fires()).as("no fire of the pause runs").isEmpty();
      assertThat(scheduler.scheduleEvents(ScheduleResumed.class)).extracting(ScheduleResumed::getFiresWhilePaused)
          .as("11:00 and 12:00 hourly until the edit at 12:30, then 12:45 to 13:30 every 15 minutes")
          .containsExactly(6L);
    }

    /** Each edit of a pause counts what its timing had due; a resume by the edit itself counts them all. */
    @Test
    void aFileThatRetimesTwiceAndThenUnpausesCountsEachTimingsFires() {
      ScheduleDecider decider = new ScheduleDecider();
      Schedule hourly = hourlyWithCatchUp().setPaused(true).build();
      ScheduleState state = ScheduleDecider.newState(hourly, T0);

      Schedule halfHourly = Schedule.newBuilder(hourly).setEveryMs(Duration.ofMinutes(30).toMillis()).build();
      decider.redefine(state, halfHourly, T0.plus(Duration.ofMinutes(130)));
      Schedule quarterly = Schedule.newBuilder(halfHourly).setEveryMs(Duration.ofMinutes(15).toMillis()).build();
      decider.redefine(state, quarterly, T0.plus(Duration.ofMinutes(200)));
      Schedule unpaused = Schedule.newBuilder(quarterly).setEveryMs(Duration.ofMinutes(5).toMillis()).setPaused(false)
          .build();
      var effects = decider.redefine(state, unpaused, T0.plus(Duration.ofMinutes(230)));

      assertThat(effects).extracting(ScheduleEffect.Log.class::cast).extracting(ScheduleEffect.Log::event)
          .as("2 hourly, then 12:30 to 13:00 half-hourly (2), then 13:30 to 13:45 quarterly (2)")
          .containsExactly(new ScheduleResumed(ScheduleDecider.FILE, 6L));
      assertThat(state.getFiresWhilePaused()).as("counted once").isZero();
    }

    /** An edit read after the scheduler was down: what the old timing missed is recorded, as a tick would. */
    @Test
    void anEditReadAfterAnOutageRecordsWhatTheOldTimingMissed() {
      ScheduleDecider decider = new ScheduleDecider();
      Schedule hourly = hourlyWithCatchUp().setCatchUpWindowMs(0).build();
      ScheduleState state = ScheduleDecider.newState(hourly, T0);

      Instant read = T0.plus(Duration.ofMinutes(190));
      var effects = decider.redefine(state, Schedule.newBuilder(hourly).setEveryMs(60_000L).build(), read);

      assertThat(effects).extracting(ScheduleEffect.Log.class::cast).extracting(ScheduleEffect.Log::event)
          .containsExactly(new FiresMissed(T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofHours(3)), 3L,
              "missed while no scheduler ran; catch_up is off"));
      assertThat(state.getHandledUntil()).isEqualTo(read);
    }
  }
}
