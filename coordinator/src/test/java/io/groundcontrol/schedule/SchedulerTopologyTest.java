package io.groundcontrol.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.groundcontrol.mission.MissionIds;
import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.FireBuffered;
import io.groundcontrol.schema.FireSkipped;
import io.groundcontrol.schema.FiresMissed;
import io.groundcontrol.schema.MissionCancelled;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionStarted;
import io.groundcontrol.schema.OverlapPolicy;
import io.groundcontrol.schema.PauseSchedule;
import io.groundcontrol.schema.ResumeSchedule;
import io.groundcontrol.schema.Schedule;
import io.groundcontrol.schema.ScheduleCommand;
import io.groundcontrol.schema.ScheduleCommandRejected;
import io.groundcontrol.schema.ScheduleEvent;
import io.groundcontrol.schema.ScheduleFired;
import io.groundcontrol.schema.ScheduleResumed;
import io.groundcontrol.schema.SchedulePaused;
import io.groundcontrol.schema.TriggerSchedule;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Schedules in the whole coordinator topology, driven by the wall clock. */
class SchedulerTopologyTest {
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  private static final ZoneId COPENHAGEN = ZoneId.of("Europe/Copenhagen");

  @TempDir Path stateDir;
  private SchedulerDriver scheduler;

  @AfterEach
  void tearDown() {
    if (scheduler != null) {
      scheduler.close();
    }
  }

  private SchedulerDriver start(Instant at) {
    scheduler = SchedulerDriver.withPlanP(stateDir, at);
    return scheduler;
  }

  private static Schedule.Builder every(String name, Duration interval) {
    return Schedule.newBuilder().setName(name).setPlan("p").setEveryMs(interval.toMillis());
  }

  private static Schedule.Builder cron(String name, String expression, ZoneId zone) {
    return Schedule.newBuilder().setName(name).setPlan("p").setCron(expression).setTimeZone(zone.getId());
  }

  private static List<Instant> nominalTimes(List<ScheduleFired> fires) {
    return fires.stream().map(ScheduleFired::getNominalTime).toList();
  }

  @Nested
  class ClockAndCalendar {
    @Test
    void anIntervalFiresAtEveryWholeIntervalAndStartsOneMissionPerFire() {
      start(T0).apply(every("tick", Duration.ofSeconds(10)).setOverlap(OverlapPolicy.ALLOW).build());

      scheduler.advance(Duration.ofSeconds(60), Duration.ofMillis(500));

      List<Instant> expected = IntStream.rangeClosed(1, 6).mapToObj(i -> T0.plusSeconds(10L * i)).toList();
      assertThat(nominalTimes(scheduler.fires())).containsExactlyElementsOf(expected);
      assertThat(scheduler.startedMissions())
          .containsExactlyElementsOf(expected.stream().map(t -> MissionIds.forFire("tick", t)).toList());
      assertThat(scheduler.fires()).allSatisfy(f -> assertThat(f.getCatchUp()).isFalse());
    }

    @Test
    void aCronFiresAtItsLocalTimes() {
      start(T0).apply(cron("quarter", "*/15 * * * *", COPENHAGEN).setOverlap(OverlapPolicy.ALLOW).build());

      scheduler.advance(Duration.ofHours(1), Duration.ofSeconds(30));

      assertThat(nominalTimes(scheduler.fires())).containsExactly(
          T0.plus(Duration.ofMinutes(15)), T0.plus(Duration.ofMinutes(30)), T0.plus(Duration.ofMinutes(45)),
          T0.plus(Duration.ofMinutes(60)));
    }

    @Test
    void aDaily0230InCopenhagenFiresOnceOnTheDayTheClocksGoForward() {
      start(Instant.parse("2026-03-28T12:00:00Z"))
          .apply(cron("daily", "30 2 * * *", COPENHAGEN).setOverlap(OverlapPolicy.ALLOW).build());

      scheduler.advance(Duration.ofHours(48), Duration.ofMinutes(5));

      // 02:30 does not exist on 29 March: it fires at 03:30 CEST, shifted by the one-hour gap.
      assertThat(nominalTimes(scheduler.fires())).containsExactly(
          Instant.parse("2026-03-29T01:30:00Z"), Instant.parse("2026-03-30T00:30:00Z"));
      assertThat(scheduler.fires().stream().map(f -> f.getNominalTime().atZone(COPENHAGEN).toLocalDate()))
          .containsExactly(LocalDate.parse("2026-03-29"), LocalDate.parse("2026-03-30"));
    }

    @Test
    void aDaily0230InCopenhagenFiresOnceOnTheDayTheClocksGoBack() {
      start(Instant.parse("2026-10-24T12:00:00Z"))
          .apply(cron("daily", "30 2 * * *", COPENHAGEN).setOverlap(OverlapPolicy.ALLOW).build());

      scheduler.advance(Duration.ofHours(48), Duration.ofMinutes(5));

      // 02:30 happens twice on 25 October (CEST, then CET): it fires at the first only.
      assertThat(nominalTimes(scheduler.fires())).containsExactly(
          Instant.parse("2026-10-25T00:30:00Z"), Instant.parse("2026-10-26T01:30:00Z"));
    }

    @Test
    void startAtAndEndAtBoundTheFires() {
      start(T0).apply(every("bounded", Duration.ofSeconds(10)).setOverlap(OverlapPolicy.ALLOW)
          .setStartAt(T0.plusSeconds(25)).setEndAt(T0.plusSeconds(55)).build());

      scheduler.advance(Duration.ofSeconds(90), Duration.ofSeconds(1));

      assertThat(nominalTimes(scheduler.fires())).containsExactly(
          T0.plusSeconds(25), T0.plusSeconds(35), T0.plusSeconds(45), T0.plusSeconds(55));
    }

    @Test
    void jitterDelaysEachFireByAFixedAmountWithinItsBound() {
      start(T0).apply(every("jittery", Duration.ofMinutes(1)).setOverlap(OverlapPolicy.ALLOW)
          .setJitterMs(20_000).build());

      scheduler.advance(Duration.ofMinutes(10).plusSeconds(20), Duration.ofMillis(250));

      List<io.groundcontrol.schema.ScheduleEvent> fires = scheduler.scheduleEvents().stream()
          .filter(e -> e.getEvent() instanceof ScheduleFired).toList();
      assertThat(fires).hasSize(10);
      ScheduleSpec spec = ScheduleSpec.of(every("jittery", Duration.ofMinutes(1)).setJitterMs(20_000).build());
      List<Long> delays = fires.stream().map(e -> {
        Instant nominal = ((ScheduleFired) e.getEvent()).getNominalTime();
        long delay = Duration.between(nominal, e.getTimestamp()).toMillis();
        assertThat(delay).isBetween(0L, 20_000L);
        assertThat(e.getTimestamp()).isBetween(spec.dueAt(nominal), spec.dueAt(nominal).plusMillis(250));
        return Duration.between(nominal, spec.dueAt(nominal)).toMillis();
      }).toList();
      assertThat(delays).allSatisfy(d -> assertThat(d).isBetween(0L, 19_999L));
      assertThat(delays.stream().distinct().count()).as("jitter varies by nominal time").isGreaterThan(5);
    }

    @Test
    void aJitterLongerThanACronsGapFiresEveryNominalTimeOnceInOrderAndMissesNone() {
      start(T0).apply(cron("skewed", "* * * * *", ZoneId.of("UTC")).setOverlap(OverlapPolicy.ALLOW)
          .setJitterMs(Duration.ofMinutes(10).toMillis()).build());

      scheduler.advance(Duration.ofMinutes(30), Duration.ofSeconds(5));

      // A later minute can fall due before an earlier one; it waits for it rather than counting as missed.
      List<Instant> fired = nominalTimes(scheduler.fires());
      assertThat(scheduler.scheduleEvents(FiresMissed.class)).isEmpty();
      assertThat(fired).doesNotHaveDuplicates().isSorted();
      assertThat(fired).startsWith(IntStream.rangeClosed(1, 20).mapToObj(m -> T0.plus(Duration.ofMinutes(m)))
          .toArray(Instant[]::new));
    }
  }

  @Nested
  class Overlap {
    private String firstMission;

    private void twoFiresWhileTheFirstRuns(OverlapPolicy policy) {
      start(T0).apply(every("job", Duration.ofSeconds(10)).setOverlap(policy).build());
      scheduler.advance(Duration.ofSeconds(10), Duration.ofMillis(500));
      firstMission = MissionIds.forFire("job", T0.plusSeconds(10));
      assertThat(scheduler.startedMissions()).containsExactly(firstMission);
      scheduler.advance(Duration.ofSeconds(20), Duration.ofMillis(500));
    }

    @Test
    void skipRecordsWhyAFireDidNotStart() {
      twoFiresWhileTheFirstRuns(OverlapPolicy.SKIP);

      assertThat(scheduler.startedMissions()).containsExactly(firstMission);
      assertThat(scheduler.scheduleEvents(FireSkipped.class)).extracting(FireSkipped::getReason)
          .containsExactly("previous mission " + firstMission + " still running",
              "previous mission " + firstMission + " still running");

      scheduler.finish(firstMission, "a");
      scheduler.advance(Duration.ofSeconds(10), Duration.ofMillis(500));
      assertThat(scheduler.startedMissions()).containsExactly(firstMission, MissionIds.forFire("job", T0.plusSeconds(40)));
    }

    @Test
    void bufferOneRunsOneWaitingFireWhenThePreviousEnds() {
      twoFiresWhileTheFirstRuns(OverlapPolicy.BUFFER_ONE);

      assertThat(scheduler.scheduleEvents(FireBuffered.class)).singleElement()
          .satisfies(b -> assertThat(b.getNominalTime()).isEqualTo(T0.plusSeconds(20)));
      assertThat(scheduler.scheduleEvents(FireSkipped.class)).singleElement()
          .satisfies(s -> assertThat(s.getReason()).startsWith("previous mission " + firstMission + " still running and"));

      scheduler.finish(firstMission, "a");
      scheduler.advance(Duration.ofSeconds(1), Duration.ofMillis(500));
      assertThat(scheduler.startedMissions()).containsExactly(firstMission, MissionIds.forFire("job", T0.plusSeconds(20)));
    }

    @Test
    void allowStartsEveryFire() {
      twoFiresWhileTheFirstRuns(OverlapPolicy.ALLOW);

      assertThat(scheduler.startedMissions()).hasSize(3);
      assertThat(scheduler.scheduleEvents(FireSkipped.class)).isEmpty();
    }

    @Test
    void cancelRunningCancelsThePreviousMissionThenStarts() {
      twoFiresWhileTheFirstRuns(OverlapPolicy.CANCEL_RUNNING);

      String second = MissionIds.forFire("job", T0.plusSeconds(20));
      assertThat(scheduler.startedMissions()).containsExactly(firstMission, second, MissionIds.forFire("job", T0.plusSeconds(30)));
      assertThat(scheduler.missionEvents()).filteredOn(e -> e.getEvent() instanceof MissionCancelled)
          .extracting(MissionEvent::getMissionId).containsExactly(firstMission, second);
      assertThat(scheduler.fires().get(1).getCancelled()).isEqualTo(firstMission);
    }
  }

  @Nested
  class Outages {
    @Test
    void afterAThreeHourStopTheNewestMissedFiresWithinTheWindowAreCaughtUp() {
      start(T0).apply(every("etl", Duration.ofMinutes(10)).setOverlap(OverlapPolicy.ALLOW)
          .setCatchUpWindowMs(Duration.ofHours(1).toMillis()).setCatchUpMax(3).build());
      scheduler.advance(Duration.ofMinutes(10), Duration.ofSeconds(1));
      assertThat(scheduler.fires()).hasSize(1);

      scheduler.jump(Duration.ofHours(3));

      Instant now = T0.plus(Duration.ofMinutes(190));
      List<ScheduleFired> fires = scheduler.fires().subList(1, scheduler.fires().size());
      assertThat(nominalTimes(fires)).containsExactly(
          now.minus(Duration.ofMinutes(30)), now.minus(Duration.ofMinutes(20)), now.minus(Duration.ofMinutes(10)), now);
      assertThat(fires).extracting(ScheduleFired::getCatchUp).containsExactly(true, true, true, false);
      assertThat(scheduler.scheduleEvents(FiresMissed.class)).singleElement().satisfies(missed -> {
        assertThat(missed.getCount()).isEqualTo(14);
        assertThat(missed.getFirst()).isEqualTo(T0.plus(Duration.ofMinutes(20)));
        assertThat(missed.getLast()).isEqualTo(T0.plus(Duration.ofMinutes(150)));
      });
      assertThat(scheduler.startedMissions()).hasSize(5);
    }

    @Test
    void moreMissedFiresThanOneDecisionTakesStillCatchUpOnlyTheNewestMax() {
      start(T0).apply(every("fast", Duration.ofSeconds(1)).setOverlap(OverlapPolicy.ALLOW)
          .setCatchUpWindowMs(Duration.ofDays(3).toMillis()).setCatchUpMax(3).build());

      scheduler.jump(Duration.ofSeconds(ScheduleDecider.MAX_FIRES_PER_DECISION + 50_000));
      scheduler.advance(Duration.ofSeconds(1), Duration.ofMillis(200));

      List<ScheduleFired> fires = scheduler.fires();
      assertThat(fires).filteredOn(ScheduleFired::getCatchUp).hasSize(3);
      assertThat(fires.subList(0, 3)).allMatch(ScheduleFired::getCatchUp);
      List<Instant> nominal = nominalTimes(fires);
      assertThat(IntStream.range(1, nominal.size()).mapToObj(i -> Duration.between(nominal.get(i - 1), nominal.get(i))))
          .as("the caught-up fires are the newest missed ones, right before the first fire on time")
          .allMatch(Duration.ofSeconds(1)::equals);
      long missed = scheduler.scheduleEvents(FiresMissed.class).stream().mapToLong(FiresMissed::getCount).sum();
      assertThat(missed + fires.size()).isEqualTo(Duration.between(T0, nominal.get(nominal.size() - 1)).toSeconds());
    }

    @Test
    void withoutCatchUpMissedFiresAreRecordedNotRun() {
      start(T0).apply(every("etl", Duration.ofMinutes(10)).setOverlap(OverlapPolicy.ALLOW).build());

      scheduler.jump(Duration.ofHours(3).plusSeconds(30));

      assertThat(nominalTimes(scheduler.fires())).containsExactly(T0.plus(Duration.ofHours(3)));
      assertThat(scheduler.scheduleEvents(FiresMissed.class)).singleElement().satisfies(missed -> {
        assertThat(missed.getCount()).isEqualTo(17);
        assertThat(missed.getReason()).isEqualTo("missed while no scheduler ran; catch_up is off");
      });
    }

    @Test
    void aShortStopIsCaughtUpWhateverTheCatchUpPolicy() {
      start(T0).apply(every("fast", Duration.ofSeconds(1)).setOverlap(OverlapPolicy.ALLOW).build());

      scheduler.jump(Duration.ofSeconds(20));

      assertThat(scheduler.fires()).hasSize(20);
      assertThat(scheduler.scheduleEvents(FiresMissed.class)).isEmpty();
    }
  }

  @Nested
  class Priorities {
    private int startedPriority(String missionId) {
      return scheduler.missionEvents().stream().filter(e -> e.getMissionId().equals(missionId))
          .map(MissionEvent::getEvent).filter(MissionStarted.class::isInstance).map(MissionStarted.class::cast)
          .findFirst().orElseThrow().getPriority();
    }

    @Test
    void aScheduledMissionStartsAtTheSchedulesPriorityAndAChangeOfItAppliesFromTheNextFire() {
      start(T0).apply(every("nightly", Duration.ofSeconds(10)).setOverlap(OverlapPolicy.ALLOW).setPriority(7).build());
      scheduler.advance(Duration.ofSeconds(10), Duration.ofSeconds(1));
      scheduler.command("nightly", new TriggerSchedule(Map.of(), null));

      assertThat(scheduler.startedMissions()).hasSize(2)
          .allSatisfy(id -> assertThat(startedPriority(id)).as(id).isEqualTo(7));

      scheduler.apply(every("nightly", Duration.ofSeconds(10)).setOverlap(OverlapPolicy.ALLOW).setPriority(-3).build());
      scheduler.advance(Duration.ofSeconds(10), Duration.ofSeconds(1));

      assertThat(scheduler.fires()).as("the change refires nothing").hasSize(3);
      assertThat(startedPriority(MissionIds.forFire("nightly", T0.plusSeconds(20)))).isEqualTo(-3);
    }

    @Test
    void onACappedComponentAScheduledMissionOfHigherPriorityGetsTheNextSlotBeforeOlderLowerOnes() {
      start(T0).apply(every("blocker", Duration.ofHours(1)).setPaused(true).build())
          .apply(every("backfill", Duration.ofHours(1)).setPaused(true).build())
          .apply(every("nightly", Duration.ofHours(1)).setPaused(true).setPriority(5).build());
      scheduler.cap("warehouse", 1);
      scheduler.command("blocker", new TriggerSchedule(Map.of(), null));
      scheduler.advance(Duration.ofMillis(10), Duration.ofMillis(10));
      scheduler.command("backfill", new TriggerSchedule(Map.of(), null));
      scheduler.advance(Duration.ofMillis(10), Duration.ofMillis(10));
      scheduler.command("nightly", new TriggerSchedule(Map.of(), null));
      List<String> started = scheduler.startedMissions();
      assertThat(started).hasSize(3);
      assertThat(scheduler.runs("warehouse")).containsExactly(started.get(0));

      scheduler.finish(started.get(0), "a");

      assertThat(scheduler.runs("warehouse")).as("nightly, though backfill queued first").containsExactly(started.get(2));
    }
  }

  @Nested
  class Operations {
    @Test
    void aPausedScheduleFiresNothingAndResumesAtTheNextNominalTime() {
      start(T0).apply(every("job", Duration.ofSeconds(10)).setOverlap(OverlapPolicy.ALLOW).build());
      scheduler.command("job", new PauseSchedule("warehouse maintenance"));
      scheduler.advance(Duration.ofSeconds(60), Duration.ofSeconds(1));
      assertThat(scheduler.fires()).isEmpty();
      assertThat(scheduler.scheduleEvents(SchedulePaused.class)).singleElement()
          .isEqualTo(new SchedulePaused("ann", "warehouse maintenance"));

      scheduler.advance(Duration.ofSeconds(5), Duration.ofSeconds(1));
      scheduler.command("job", new ResumeSchedule());
      scheduler.advance(Duration.ofSeconds(10), Duration.ofSeconds(1));

      assertThat(scheduler.scheduleEvents(ScheduleResumed.class)).singleElement()
          .isEqualTo(new ScheduleResumed("ann", 6L));
      assertThat(nominalTimes(scheduler.fires())).containsExactly(T0.plusSeconds(70));
    }

    /** The record key picks the schedule's state: a command keyed by another schedule acts on neither. */
    @Test
    void aCommandKeyedByAnotherScheduleIsDeadLetteredAndPausesNeither() {
      start(T0).apply(every("job", Duration.ofSeconds(10)).build()).apply(every("other", Duration.ofSeconds(10)).build());

      scheduler.commandKeyed("job", new ScheduleCommand("other", SchedulerDriver.ANN, T0, new PauseSchedule(null)));

      assertThat(scheduler.scheduleEvents(SchedulePaused.class)).isEmpty();
      assertThat(scheduler.deadLetterReasons()).containsExactly(
          "Expected record key 'other' (the schedule in the value), but got 'job'");
    }

    @Test
    void anEventAnsweringACommandNamesItsIssuerAndNoOtherEventNamesOne() {
      start(T0).apply(every("job", Duration.ofSeconds(10)).setOverlap(OverlapPolicy.ALLOW).build());
      scheduler.advance(Duration.ofSeconds(10), Duration.ofSeconds(1));
      scheduler.command("job", new PauseSchedule(null));
      scheduler.command("job", new ResumeSchedule());
      scheduler.command("job", new ResumeSchedule());
      scheduler.command("job", new TriggerSchedule(Map.of(), null));

      assertThat(scheduler.scheduleEvents()).extracting(e -> e.getEvent().getClass().getSimpleName(), ScheduleEvent::getIssuedBy)
          .containsExactly(tuple("ScheduleFired", null), tuple("SchedulePaused", SchedulerDriver.ANN),
              tuple("ScheduleResumed", SchedulerDriver.ANN), tuple("ScheduleCommandRejected", SchedulerDriver.ANN),
              tuple("ScheduleFired", SchedulerDriver.ANN));
    }

    @Test
    void pausedInTheFileItFiresNothingUntilTheFileSaysOtherwise() {
      start(T0).apply(every("job", Duration.ofSeconds(10)).setPaused(true).build());
      scheduler.advance(Duration.ofSeconds(30), Duration.ofSeconds(1));
      scheduler.command("job", new ResumeSchedule());
      assertThat(scheduler.scheduleEvents(ScheduleCommandRejected.class)).singleElement().satisfies(r ->
          assertThat(r.getReason()).isEqualTo(
              "Expected schedule 'job' to be paused by a command, but it is paused in the schedules file"));

      scheduler.apply(every("job", Duration.ofSeconds(10)).build());
      scheduler.advance(Duration.ofSeconds(10), Duration.ofSeconds(1));

      assertThat(scheduler.scheduleEvents(ScheduleResumed.class)).singleElement()
          .isEqualTo(new ScheduleResumed(ScheduleDecider.FILE, 3L));
      assertThat(nominalTimes(scheduler.fires())).containsExactly(T0.plusSeconds(40));
    }

    @Test
    void aChangedIntervalIsKeptAndFiresFromTheNextTick() {
      start(T0).apply(every("job", Duration.ofSeconds(10)).setOverlap(OverlapPolicy.ALLOW).build());
      scheduler.advance(Duration.ofSeconds(10), Duration.ofSeconds(1));
      assertThat(nominalTimes(scheduler.fires())).containsExactly(T0.plusSeconds(10));

      scheduler.apply(every("job", Duration.ofHours(1)).setOverlap(OverlapPolicy.ALLOW).build());
      scheduler.advance(Duration.ofSeconds(60), Duration.ofSeconds(1));

      assertThat(nominalTimes(scheduler.fires())).containsExactly(T0.plusSeconds(10));
    }

    @Test
    void aFileThatUnpausesAfterAnOperatorsPauseLeavesOnlyTheOperatorsPause() {
      start(T0).apply(every("job", Duration.ofSeconds(10)).setOverlap(OverlapPolicy.ALLOW).setPaused(true).build());
      scheduler.command("job", new PauseSchedule("maintenance"));
      scheduler.apply(every("job", Duration.ofSeconds(10)).setOverlap(OverlapPolicy.ALLOW).build());
      scheduler.advance(Duration.ofSeconds(30), Duration.ofSeconds(1));
      assertThat(scheduler.fires()).isEmpty();

      scheduler.command("job", new ResumeSchedule());
      scheduler.advance(Duration.ofSeconds(10), Duration.ofSeconds(1));

      assertThat(scheduler.fires()).isNotEmpty();
    }

    @Test
    void triggerFiresNowWithTheGivenParams() {
      scheduler = new SchedulerDriver(stateDir, T0);
      scheduler.apply(TestPlan.named("p").param("day", "\"today\"").stage("a", "warehouse").build());
      scheduler.apply(every("job", Duration.ofHours(1)).build());
      scheduler.advance(Duration.ofSeconds(3), Duration.ofSeconds(1));

      scheduler.command("job", new TriggerSchedule(Map.of("day", "\"2026-11-01\""), null));

      String id = MissionIds.forManualFire("job", T0.plusSeconds(3));
      assertThat(scheduler.fires()).singleElement().satisfies(f -> {
        assertThat(f.getMissionId()).isEqualTo(id);
        assertThat(f.getManual()).isEqualTo("ann");
      });
      assertThat(scheduler.missionEvents()).filteredOn(e -> e.getEvent() instanceof MissionStarted)
          .singleElement().satisfies(e -> assertThat(((MissionStarted) e.getEvent()).getParams())
              .containsEntry("day", "\"2026-11-01\""));
    }

    @Test
    void aRemovedScheduleStopsAndACommandForItIsRejected() {
      start(T0).apply(every("job", Duration.ofSeconds(10)).setOverlap(OverlapPolicy.ALLOW).build());
      scheduler.advance(Duration.ofSeconds(10), Duration.ofSeconds(1));
      scheduler.remove("job");
      scheduler.advance(Duration.ofSeconds(30), Duration.ofSeconds(1));
      scheduler.command("job", new PauseSchedule(null));

      assertThat(scheduler.fires()).hasSize(1);
      assertThat(scheduler.scheduleEvents(ScheduleCommandRejected.class)).singleElement()
          .satisfies(r -> assertThat(r.getReason()).isEqualTo("Expected schedule 'job' to exist, but it is unknown"));
    }
  }

  /**
   * Inputs read a second time, as under {@code --at-least-once} after a crash before the offset
   * commit: the store holds what the first reading did, and the three topics come back in any order
   * between them.
   */
  @Nested
  class ReadAgain {
    private Instant sentAt;

    /** A fire-now of an every-10-s schedule (overlap skip) at 10:00:03, whose mission then ends. */
    private String fireNowAndEnd() {
      return fireNowAndEnd(false);
    }

    /** As {@link #fireNowAndEnd()}, under at-least-once when {@code atLeastOnce}: the command is schedule-commands' record 0. */
    private String fireNowAndEnd(boolean atLeastOnce) {
      scheduler = SchedulerDriver.withPlanP(stateDir, T0, atLeastOnce);
      scheduler.apply(every("job", Duration.ofSeconds(10)).setOverlap(OverlapPolicy.SKIP).build());
      scheduler.advance(Duration.ofSeconds(3), Duration.ofMillis(500));
      sentAt = scheduler.now();
      scheduler.command("job", new TriggerSchedule(Map.of(), null), sentAt);
      String manual = MissionIds.forManualFire("job", sentAt);
      scheduler.finish(manual, "a");
      return manual;
    }

    @Test
    void aFireNowReadAgainAfterItsMissionEndedLeavesTheScheduleFiring() {
      String manual = fireNowAndEnd();
      List<TestRecord<String, MissionEvent>> itsEvents = scheduler.scheduledMissionEvents();
      assertThat(itsEvents).hasSize(2);

      // Read again: the mission's start and end on their topic first, then the command on its own.
      itsEvents.forEach(scheduler::readAgain);
      scheduler.command("job", new TriggerSchedule(Map.of(), null), sentAt);
      scheduler.advance(Duration.ofSeconds(8), Duration.ofMillis(500));

      String next = MissionIds.forFire("job", T0.plusSeconds(10));
      assertThat(scheduler.scheduleEvents(FireSkipped.class)).as("no mission of the schedule runs").isEmpty();
      assertThat(scheduler.fires()).extracting(ScheduleFired::getMissionId).containsExactly(manual, next);
      assertThat(scheduler.startedMissions()).containsExactly(manual, next);
    }

    @Test
    void aFireNowReadAgainAfterALaterFireStillSeesThatFiresMissionRunning() {
      String manual = fireNowAndEnd(true);
      scheduler.advance(Duration.ofSeconds(8), Duration.ofMillis(500));
      String later = MissionIds.forFire("job", T0.plusSeconds(10));
      assertThat(scheduler.startedMissions()).containsExactly(manual, later);

      // Read again in time order, at their offsets: the command, the start and end of its mission, the later one's start.
      scheduler.commandReadAgain(0, "job", new TriggerSchedule(Map.of(), null), sentAt);
      scheduler.scheduledMissionEvents().forEach(record -> scheduler.readAgain(record, true));
      scheduler.advance(Duration.ofSeconds(10), Duration.ofMillis(500));

      assertThat(scheduler.startedMissions()).as("skip: " + later + " still runs").containsExactly(manual, later);
      assertThat(scheduler.fires()).extracting(ScheduleFired::getMissionId).as("each fire logged once")
          .containsExactly(manual, later);
      assertThat(scheduler.scheduleEvents(FireSkipped.class)).extracting(FireSkipped::getNominalTime)
          .containsExactly(T0.plusSeconds(20));
    }

    @Test
    void underExactlyOnceNoPositionIsCheckedSoARecordAtAnOffsetAlreadyReadIsHandledAsAny() {
      // Exactly-once never reads a record again; were one to come at an old offset, it is handled as before positions.
      String manual = fireNowAndEnd(false);
      scheduler.advance(Duration.ofSeconds(8), Duration.ofMillis(500));
      String later = MissionIds.forFire("job", T0.plusSeconds(10));

      scheduler.commandReadAgain(0, "job", new TriggerSchedule(Map.of(), null), sentAt);

      assertThat(scheduler.fires()).extracting(ScheduleFired::getMissionId).containsExactly(manual, later, manual);
    }

    @Test
    void aCommandAtAnOffsetAlreadyReadButStampedLaterIsNewAsInATopicCreatedAgain() {
      String manual = fireNowAndEnd(true);
      scheduler.advance(Duration.ofSeconds(2), Duration.ofMillis(500));
      Instant laterSend = scheduler.now();

      // schedule-commands deleted and created again: its first record is at offset 0 again.
      scheduler.commandReadAgain(0, "job", new TriggerSchedule(Map.of(), null), laterSend);

      String second = MissionIds.forManualFire("job", laterSend);
      assertThat(scheduler.fires()).extracting(ScheduleFired::getMissionId).containsExactly(manual, second);
      assertThat(scheduler.startedMissions()).containsExactly(manual, second);
    }

    @Test
    void aRemovalAndReapplyReadAgainForgetNotTheFireThatRunsSince() {
      scheduler = SchedulerDriver.withPlanP(stateDir, T0, true);
      Schedule job = every("job", Duration.ofSeconds(10)).setOverlap(OverlapPolicy.SKIP).build();
      scheduler.apply(job);
      scheduler.remove("job");
      scheduler.apply(job);
      scheduler.advance(Duration.ofSeconds(11), Duration.ofMillis(500));
      String running = MissionIds.forFire("job", T0.plusSeconds(10));
      assertThat(scheduler.startedMissions()).containsExactly(running);

      scheduler.scheduleReadAgain(1, "job", null, T0);
      scheduler.scheduleReadAgain(2, "job", job, T0);
      scheduler.advance(Duration.ofSeconds(10), Duration.ofMillis(500));

      assertThat(scheduler.startedMissions()).as("skip: " + running + " still runs").containsExactly(running);
    }

    @Test
    void aFireNowReadAgainAfterItsScheduleWasRemovedAndAppliedAgainFiresNothing() {
      String manual = fireNowAndEnd(true);
      Schedule job = every("job", Duration.ofSeconds(10)).setOverlap(OverlapPolicy.SKIP).build();
      scheduler.remove("job");
      scheduler.apply(job);

      scheduler.commandReadAgain(0, "job", new TriggerSchedule(Map.of(), null), sentAt);
      scheduler.advance(Duration.ofSeconds(10), Duration.ofMillis(500));

      String next = MissionIds.forFire("job", T0.plusSeconds(10));
      assertThat(scheduler.fires()).extracting(ScheduleFired::getMissionId).containsExactly(manual, next);
      assertThat(scheduler.scheduleEvents(FireSkipped.class)).as("not waiting on a mission").isEmpty();
    }

    @Test
    void aRemovedScheduleFiresNothingAndAnswersNoCommand() {
      scheduler = SchedulerDriver.withPlanP(stateDir, T0, true);
      scheduler.apply(every("job", Duration.ofSeconds(10)).build());
      scheduler.remove("job");
      scheduler.command("job", new TriggerSchedule(Map.of(), null));
      scheduler.advance(Duration.ofSeconds(30), Duration.ofMillis(500));

      assertThat(scheduler.fires()).isEmpty();
      assertThat(scheduler.scheduleEvents(ScheduleCommandRejected.class)).hasSize(1);
    }
  }
}
