package io.groundcontrol.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.FiresMissed;
import io.groundcontrol.schema.OverlapPolicy;
import io.groundcontrol.schema.PauseSchedule;
import io.groundcontrol.schema.ResumeSchedule;
import io.groundcontrol.schema.Schedule;
import io.groundcontrol.schema.ScheduleEvent;
import io.groundcontrol.schema.ScheduleFired;
import io.groundcontrol.schema.ScheduleResumed;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A schedule's times against the clocks of the hosts that apply and command it: the scheduler
 * counts on its own clock, whatever the record's timestamp says.
 */
class SchedulerClockTest {
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  private static final Duration HOUR = Duration.ofHours(1);

  @TempDir Path stateDir;
  private SchedulerDriver scheduler;

  @AfterEach
  void tearDown() {
    scheduler.close();
  }

  private SchedulerDriver start() {
    scheduler = new SchedulerDriver(stateDir, T0);
    scheduler.apply(TestPlan.named("p").stage("a", "warehouse").build());
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
}
