package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.mission.MissionLimits;
import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.mission.TimerFired;
import io.groundcontrol.query.MissionIndex;
import io.groundcontrol.schema.CancelMission;
import io.groundcontrol.schema.InstructionKind;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionForgotten;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.ReportFailed;
import io.groundcontrol.schema.ReportFinished;
import io.groundcontrol.schema.ReportStarted;
import io.groundcontrol.schema.RetryPolicy;
import io.groundcontrol.schema.StageError;
import io.groundcontrol.schema.StageInstruction;
import io.groundcontrol.schema.StageStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator's retention sweep forgets ended missions once they have been unchanged for the
 * retention period: an event in the log, and nothing of them left in the missions store, the
 * mission index or their changelogs.
 */
class RetentionTopologyTest {
  private static final Instant T0 = CoordinatorDriver.T0;
  private static final Duration HOUR = Duration.ofHours(1);

  @TempDir
  Path stateDir;

  private CoordinatorDriver coordinator;

  @BeforeEach
  void setUp() {
    coordinator = new CoordinatorDriver(CoordinatorConfig.defaults("unused:9092", stateDir)
        .withLimits(MissionLimits.DEFAULTS.withRetention(HOUR)));
    coordinator.apply(TestPlan.named("pair").stage("load", "warehouse").stage("score", "warehouse", "load").build());
  }

  @AfterEach
  void tearDown() {
    coordinator.close();
  }

  private void finish(String missionId, Instant at) {
    coordinator.start(missionId, "pair", at);
    coordinator.report(missionId, "load", 1, new ReportFinished(Map.of()), at.plusSeconds(1));
    coordinator.report(missionId, "score", 1, new ReportFinished(Map.of("auc", "0.91")), at.plusSeconds(2));
  }

  @Test
  void aMissionUnchangedForThePeriodIsForgottenAndTheOthersStay() {
    finish("early", T0);
    coordinator.start("running", "pair", T0.plusSeconds(10));
    finish("late", T0.plus(Duration.ofMinutes(40)));
    coordinator.start("failed", "pair", T0.plusSeconds(20));
    coordinator.report("failed", "load", 1,
        new ReportFailed(new StageError("bad input", null, false)), T0.plusSeconds(21));
    coordinator.events.readValuesToList();

    coordinator.advanceWallClock(HOUR.plusSeconds(30));

    List<MissionEvent> events = coordinator.events.readValuesToList();
    assertThat(events).extracting(MissionEvent::getMissionId).containsExactlyInAnyOrder("early", "failed");
    assertThat(events).allSatisfy(event -> assertThat(event.getEvent()).isInstanceOf(MissionForgotten.class));
    MissionEvent early = events.stream().filter(e -> e.getMissionId().equals("early")).findFirst().orElseThrow();
    assertThat(early.getSequence()).as("after started, and per stage dispatched, finished, then mission finished")
        .isEqualTo(7);
    assertThat(((MissionForgotten) early.getEvent()).getStatus()).isEqualTo(MissionStatus.FINISHED);
    assertThat(coordinator.stored("early")).isNull();
    assertThat(coordinator.stored("failed")).isNull();
    assertThat(coordinator.storeKeys(CoordinatorTopology.MISSION_STORE))
        .noneMatch(key -> key.startsWith("early") || key.startsWith("failed"));
    assertThat(coordinator.storeKeys(MissionIndex.STORE))
        .noneMatch(key -> key.endsWith("/early") || key.endsWith("/failed"))
        .anyMatch(key -> key.endsWith("/late")).anyMatch(key -> key.endsWith("/running"));
    assertThat(coordinator.stored("running").getStatus()).isEqualTo(MissionStatus.RUNNING);
    assertThat(coordinator.stored("late").getStatus()).isEqualTo(MissionStatus.FINISHED);

    coordinator.advanceWallClock(Duration.ofMinutes(45));

    assertThat(coordinator.events.readValuesToList()).singleElement()
        .satisfies(event -> assertThat(event.getMissionId()).isEqualTo("late"));
    assertThat(coordinator.stored("late")).isNull();
    assertThat(coordinator.stored("running")).isNotNull();
  }

  @Test
  void missionsNotDueYetDoNotKeepTheSweepFromTheOnesBehindThem() {
    finish("old", T0);
    List<String> later = new ArrayList<>();
    for (int i = 0; i < RetentionSweep.BATCH + 50; i++) {
      String id = "later-" + i;
      later.add(id);
      coordinator.start(id, "pair", T0.plusSeconds(10).plusMillis(i));
    }
    // Started before "old" is due, but ended only just before the sweeps below: listed before it.
    Instant ended = T0.plus(Duration.ofMinutes(59));
    for (String id : later) {
      coordinator.report(id, "load", 1, new ReportFinished(Map.of()), ended);
      coordinator.report(id, "score", 1, new ReportFinished(Map.of()), ended);
    }
    coordinator.events.readValuesToList();

    coordinator.advanceWallClock(HOUR.plusSeconds(30));
    coordinator.advanceWallClock(MissionProcessor.TIMER_TICK);
    coordinator.advanceWallClock(MissionProcessor.TIMER_TICK);

    assertThat(coordinator.events.readValuesToList()).extracting(MissionEvent::getMissionId).containsExactly("old");
    assertThat(coordinator.stored("later-0").getStatus()).isEqualTo(MissionStatus.FINISHED);
  }

  @Test
  void theChangelogsCarryTheRemoval() {
    finish("early", T0);
    assertThat(coordinator.storeKeys(MissionIndex.STORE)).anyMatch(key -> key.contains("early"));
    coordinator.advanceWallClock(HOUR.plusSeconds(30));

    List<KeyValue<String, byte[]>> missions = coordinator.changelog(CoordinatorTopology.MISSION_STORE);
    List<String> lastByKey = CoordinatorDriver.lastValueByKey(missions);
    assertThat(lastByKey).as("every key of the mission ends in a tombstone")
        .isNotEmpty().allSatisfy(entry -> assertThat(entry).endsWith("=null"));
    int header = indexOfKey(missions, "early");
    assertThat(missions.subList(header, missions.size())).as("the header's tombstone after its stages'")
        .extracting(kv -> kv.key).containsOnly("early");
    // The index has no changelog; its own entries for the mission are gone.
    assertThat(coordinator.storeKeys(MissionIndex.STORE)).noneMatch(key -> key.contains("early"));
  }

  @Test
  void aStartOfAForgottenIdRunsANewMissionFromEventOne() {
    finish("m-1", T0);
    coordinator.advanceWallClock(HOUR.plusSeconds(30));
    coordinator.events.readValuesToList();

    coordinator.start("m-1", "pair", T0.plus(HOUR).plusSeconds(40));

    List<MissionEvent> events = coordinator.events.readValuesToList();
    assertThat(events).extracting(e -> e.getEvent().getClass().getSimpleName())
        .containsExactly("MissionStarted", "StageDispatched");
    assertThat(events.get(0).getSequence()).isEqualTo(1);
    assertThat(coordinator.stored("m-1").getStatus()).isEqualTo(MissionStatus.RUNNING);
    assertThat(coordinator.storedStage("m-1", "load").getAttempt()).isEqualTo(1);
  }

  /** The forgotten mission's timeout, swept away or not, must not end the new one's attempt. */
  @Test
  void aTimerOfAForgottenMissionDoesNotActOnTheNextMissionOfItsId() {
    coordinator.apply(TestPlan.named("slow").stage("load", "sql").timeout(Duration.ofHours(3).toMillis()).build());
    coordinator.start("m1", "slow", T0);
    coordinator.report("m1", "load", 1, new ReportStarted(null, T0.plusSeconds(1)), T0.plusSeconds(1));
    coordinator.report("m1", "load", 1, new ReportFinished(Map.of()), T0.plusSeconds(2));
    coordinator.advanceWallClock(HOUR.plusMinutes(5));
    assertThat(coordinator.stored("m1")).as("forgotten").isNull();

    Instant again = T0.plus(HOUR.plusMinutes(5));
    coordinator.start("m1", "slow", again);
    coordinator.report("m1", "load", 1, new ReportStarted(null, again.plusSeconds(1)), again.plusSeconds(1));
    coordinator.advanceWallClock(Duration.ofHours(2));

    assertThat(coordinator.storedStage("m1", "load").getStatus()).as("past the first mission's timeout")
        .isEqualTo(StageStatus.RUNNING);
    coordinator.advanceWallClock(HOUR.plusMinutes(1));
    assertThat(coordinator.storedStage("m1", "load").getStatus()).as("past its own").isEqualTo(StageStatus.FAILED);
  }

  @Test
  void withRetentionZeroNothingIsForgotten() {
    coordinator.close();
    coordinator = new CoordinatorDriver(CoordinatorConfig.defaults("unused:9092", stateDir.resolve("forever"))
        .withLimits(MissionLimits.DEFAULTS.withRetention(Duration.ZERO)));
    coordinator.apply(TestPlan.named("pair").stage("load", "warehouse").stage("score", "warehouse", "load").build());
    finish("m-1", T0);
    coordinator.events.readValuesToList();

    coordinator.advanceWallClock(Duration.ofDays(30));

    assertThat(coordinator.events.readValuesToList()).isEmpty();
    assertThat(coordinator.stored("m-1").getStatus()).isEqualTo(MissionStatus.FINISHED);
  }

  private static int indexOfKey(List<KeyValue<String, byte[]>> records, String key) {
    for (int i = records.size() - 1; i >= 0; i--) {
      if (records.get(i).key.equals(key)) {
        return i;
      }
    }
    throw new AssertionError("No changelog record of " + key);
  }

  /**
   * Timers are not removed when their attempt ends, but they do not outlive their mission: once
   * retention forgets it, the timers it left (timeouts, start timeouts, liveness watches, retries)
   * go from the timers store and its changelog, whatever their due times.
   */
  @Nested
  class ForgottenTimers {
    private static final long DAYS_30 = Duration.ofDays(30).toMillis();
    private static final long DAYS_2 = Duration.ofDays(2).toMillis();

    @Test
    void forgottenMissionsLeaveNoTimersBehind() {
      coordinator.apply(TestPlan.named("nightly").stage("load", "sql").timeout(DAYS_30).startTimeout(DAYS_2).build());
      for (int i = 0; i < 50; i++) {
        String id = "m-" + i;
        Instant at = T0.plusSeconds(i);
        coordinator.start(id, "nightly", at);
        coordinator.report(id, "load", 1, new ReportStarted(null, at.plusMillis(100)), at.plusMillis(100));
        coordinator.report(id, "load", 1, new ReportFinished(Map.of()), at.plusMillis(200));
      }
      assertThat(timers()).as("a timeout and a start timeout per attempt").hasSize(100);

      coordinator.advanceWallClock(HOUR.plusMinutes(5));

      for (int i = 0; i < 50; i++) {
        assertThat(coordinator.stored("m-" + i)).as("forgotten by retention").isNull();
      }
      assertThat(timers()).isEmpty();
      assertThat(CoordinatorDriver.lastValueByKey(coordinator.changelog(CoordinatorTopology.TIMER_STORE)))
          .as("the changelog ends each timer in a tombstone")
          .hasSize(100).allSatisfy(entry -> assertThat(entry).endsWith("=null"));
    }

    @Test
    void theTimersOfEveryAttemptGoIncludingRetries() {
      coordinator.apply(TestPlan.named("flaky").stage("load", "sql").retry(3, 1_000).timeout(DAYS_30)
          .startTimeout(DAYS_2).build());
      coordinator.start("m1", "flaky", T0);
      coordinator.report("m1", "load", 1, new ReportStarted(null, T0.plusSeconds(1)), T0.plusSeconds(1));
      coordinator.report("m1", "load", 1, new ReportFailed(new StageError("reset", null, true)), T0.plusSeconds(2));
      coordinator.advanceWallClock(Duration.ofSeconds(10));
      Instant second = T0.plusSeconds(12);
      coordinator.report("m1", "load", 2, new ReportStarted(null, second), second);
      coordinator.report("m1", "load", 2, new ReportFinished(Map.of()), second.plusSeconds(1));
      assertThat(coordinator.stored("m1").getStatus()).isEqualTo(MissionStatus.FINISHED);
      assertThat(timers()).as("a timeout and a start timeout per attempt; the retry fired")
          .hasSize(4).anyMatch(key -> key.contains("|TIMEOUT|2|load|m1"));

      forget("m1");

      assertThat(timers()).isEmpty();
    }

    @Test
    void aStageThatTimedOutLeavesNone() {
      coordinator.apply(TestPlan.named("slow").stage("load", "sql").timeout(Duration.ofMinutes(10).toMillis())
          .startTimeout(DAYS_2).build());
      coordinator.start("m1", "slow", T0);
      coordinator.report("m1", "load", 1, new ReportStarted(null, T0.plusSeconds(1)), T0.plusSeconds(1));
      coordinator.advanceWallClock(Duration.ofMinutes(11));
      assertThat(coordinator.storedStage("m1", "load").getStatus()).isEqualTo(StageStatus.FAILED);
      assertThat(timers()).as("the start timeout; the timeout fired").singleElement().asString()
          .contains("START_TIMEOUT");

      forget("m1");

      assertThat(timers()).isEmpty();
    }

    @Test
    void theChunksOfAFanOutLeaveNone() {
      coordinator.apply(TestPlan.named("fan").stage("list", "lists")
          .stage("score", "scorer", Map.of("ids", "\"${chunk.items}\""), "list")
          .foreach("${stages.list.outputs.ids}", 10, 20).timeout(DAYS_30).startTimeout(DAYS_2).build());
      TestOutputTopic<String, StageInstruction> scorer = coordinator.instructions("scorer");
      coordinator.start("m1", "fan", T0);
      String ids = IntStream.range(0, 200).mapToObj(Integer::toString).collect(Collectors.joining(",", "[", "]"));
      coordinator.report("m1", "list", 1, new ReportFinished(Map.of("ids", ids)), T0.plusSeconds(1));
      List<StageInstruction> runs = scorer.readValuesToList().stream()
          .filter(run -> run.getKind() == InstructionKind.RUN).toList();
      assertThat(runs).hasSize(20);
      Instant at = T0.plusSeconds(2);
      for (StageInstruction run : runs) {
        coordinator.report("m1", run.getStage(), run.getAttempt(), new ReportStarted(null, at), at);
        coordinator.report("m1", run.getStage(), run.getAttempt(), new ReportFinished(Map.of()), at.plusMillis(1));
      }
      assertThat(coordinator.stored("m1").getStatus()).isEqualTo(MissionStatus.FINISHED);
      assertThat(timers()).as("a timeout and a start timeout per chunk").hasSize(40);

      forget("m1");

      assertThat(timers()).isEmpty();
    }

    @Test
    void aMissionCancelledMidAttemptOrWaitingToRetryLeavesNone() {
      coordinator.apply(TestPlan.named("watched").stage("load", "sql").timeout(DAYS_30).startTimeout(DAYS_2).build());
      long day = Duration.ofDays(1).toMillis();
      coordinator.apply(TestPlan.named("patient").stage("load", "sql")
          .defaults(new RetryPolicy(3, day, 2.0, day, 0.0), null).build());
      coordinator.start("running", "watched", T0);
      coordinator.report("running", "load", 1, new ReportStarted(day, T0.plusSeconds(1)), T0.plusSeconds(1));
      coordinator.start("retrying", "patient", T0);
      coordinator.report("retrying", "load", 1, new ReportFailed(new StageError("reset", null, true)),
          T0.plusSeconds(1));
      coordinator.command("running", new CancelMission("not today"), T0.plusSeconds(2));
      coordinator.command("retrying", new CancelMission("not today"), T0.plusSeconds(2));
      assertThat(coordinator.stored("running").getStatus()).isEqualTo(MissionStatus.CANCELLED);
      assertThat(coordinator.stored("retrying").getStatus()).isEqualTo(MissionStatus.CANCELLED);
      assertThat(timers()).as("a start timeout, a timeout, a liveness watch; a retry")
          .hasSize(4).anyMatch(key -> key.contains("|LIVENESS|1|load|running"))
          .anyMatch(key -> key.contains("|RETRY|2|load|retrying"));

      forget("running");

      assertThat(timers()).isEmpty();
    }

    @Test
    void onlyTheTimersOfForgottenMissionsGo() {
      coordinator.apply(TestPlan.named("nightly").stage("load", "sql").timeout(DAYS_30).startTimeout(DAYS_2).build());
      coordinator.start("old", "nightly", T0);
      coordinator.report("old", "load", 1, new ReportFinished(Map.of()), T0.plusSeconds(1));
      coordinator.start("ended-later", "nightly", T0.plus(Duration.ofMinutes(30)));
      coordinator.report("ended-later", "load", 1, new ReportFinished(Map.of()), T0.plus(Duration.ofMinutes(31)));
      coordinator.advanceWallClock(HOUR.plusSeconds(30));
      assertThat(coordinator.stored("old")).as("forgotten").isNull();
      Instant again = T0.plus(HOUR).plus(Duration.ofMinutes(1));
      coordinator.start("old", "nightly", again);
      coordinator.start("running", "nightly", again);

      coordinator.advanceWallClock(MissionProcessor.TIMER_TICK);
      coordinator.advanceWallClock(MissionProcessor.TIMER_TICK);

      assertThat(timers()).as("the start timeouts of the missions kept, not of the one forgotten")
          .containsExactlyInAnyOrder(startTimeout("ended-later", T0.plusSeconds(30 * 60)), startTimeout("old", again),
              startTimeout("running", again));
    }

    private static String startTimeout(String missionId, Instant dispatchedAt) {
      return TimerIndex.key(new TimerFired(missionId, "load", 1, TimerFired.Kind.START_TIMEOUT,
          dispatchedAt.plus(Duration.ofDays(2))));
    }

    /** Moves the clock past the retention of {@code missionId}'s last change, and a few sweeps on. */
    private void forget(String missionId) {
      coordinator.advanceWallClock(HOUR.plusMinutes(5));
      coordinator.advanceWallClock(MissionProcessor.TIMER_TICK);
      assertThat(coordinator.stored(missionId)).as("forgotten by retention").isNull();
    }

    private List<String> timers() {
      return coordinator.storeKeys(CoordinatorTopology.TIMER_STORE);
    }
  }
}
