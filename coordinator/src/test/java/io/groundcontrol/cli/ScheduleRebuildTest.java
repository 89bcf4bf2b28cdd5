package io.groundcontrol.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.Schedule;
import io.groundcontrol.schema.ScheduleEvent;
import io.groundcontrol.schema.ScheduleFired;
import io.groundcontrol.schema.SchedulePaused;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What {@code schedule list} rebuilds from the logs without the API. */
class ScheduleRebuildTest {
  private static final Schedule JOB = Schedule.newBuilder().setName("job").setPlan("p").setEveryMs(60_000L).build();
  private static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");

  @Test
  void aScheduleAppliedAgainAfterARemovalShowsNothingOfItsEarlierLife() {
    ScheduleRebuild rebuild = new ScheduleRebuild();
    rebuild.definition("job", JOB, T0);
    rebuild.definition("job", null, T0.plusSeconds(300));
    rebuild.definition("job", JOB, T0.plusSeconds(400));
    rebuild.event(event(T0.plusSeconds(60), new ScheduleFired(T0.plusSeconds(60), "s.job.20260601T120100Z", false, null, null)));
    rebuild.event(event(T0.plusSeconds(90), new SchedulePaused("ann", "r")));

    assertThat(rebuild.schedules()).containsOnlyKeys("job");
    assertThat(rebuild.seen()).as("the scheduler's new state: not paused, no last mission").doesNotContainKey("job");

    rebuild.event(event(T0.plusSeconds(460), new ScheduleFired(T0.plusSeconds(460), "s.job.20260601T120740Z", false, null, null)));
    assertThat(rebuild.seen().get("job").lastMission).isEqualTo("s.job.20260601T120740Z");
    assertThat(rebuild.seen().get("job").pause).isNull();
  }

  @Test
  void anEditedScheduleKeepsItsWholeHistory() {
    ScheduleRebuild rebuild = new ScheduleRebuild();
    rebuild.definition("job", JOB, T0);
    rebuild.definition("job", Schedule.newBuilder(JOB).setPlan("q").build(), T0.plusSeconds(300));
    rebuild.event(event(T0.plusSeconds(60), new ScheduleFired(T0.plusSeconds(60), "s.job.20260601T120100Z", false, null, null)));
    rebuild.event(event(T0.plusSeconds(90), new SchedulePaused("ann", "r")));

    assertThat(rebuild.schedules().get("job").getPlan()).isEqualTo("q");
    assertThat(rebuild.seen().get("job").lastMission).isEqualTo("s.job.20260601T120100Z");
    assertThat(rebuild.seen().get("job").pause).isEqualTo("ann: r");
  }

  @Test
  void aRemovedScheduleIsNotListed() {
    ScheduleRebuild rebuild = new ScheduleRebuild();
    rebuild.definition("job", JOB, T0);
    rebuild.definition("job", null, T0.plusSeconds(300));

    assertThat(rebuild.schedules()).isEmpty();
  }

  private static ScheduleEvent event(Instant at, Object event) {
    return new ScheduleEvent("job", at, event, null);
  }
}
