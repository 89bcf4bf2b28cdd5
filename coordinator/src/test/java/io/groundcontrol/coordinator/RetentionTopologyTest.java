package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.mission.MissionLimits;
import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.query.MissionIndex;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionForgotten;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.ReportFailed;
import io.groundcontrol.schema.ReportFinished;
import io.groundcontrol.schema.ReportStarted;
import io.groundcontrol.schema.StageError;
import io.groundcontrol.schema.StageStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
    assertThat(missionStoreKeys()).noneMatch(key -> key.startsWith("early") || key.startsWith("failed"));
    assertThat(index()).noneMatch(key -> key.endsWith("/early") || key.endsWith("/failed"))
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
    assertThat(index()).anyMatch(key -> key.contains("early"));
    coordinator.advanceWallClock(HOUR.plusSeconds(30));

    List<KeyValue<String, byte[]>> missions = changelog(CoordinatorTopology.MISSION_STORE);
    List<String> lastByKey = lastValueByKey(missions);
    assertThat(lastByKey).as("every key of the mission ends in a tombstone")
        .isNotEmpty().allSatisfy(entry -> assertThat(entry).endsWith("=null"));
    int header = indexOfKey(missions, "early");
    assertThat(missions.subList(header, missions.size())).as("the header's tombstone after its stages'")
        .extracting(kv -> kv.key).containsOnly("early");
    // The index has no changelog; its own entries for the mission are gone.
    assertThat(index()).noneMatch(key -> key.contains("early"));
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

  /** Timers are never cancelled: the forgotten mission's timeout must not end the new one's attempt. */
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

  private List<String> missionStoreKeys() {
    KeyValueStore<String, SpecificRecord> store = coordinator.driver.getKeyValueStore(CoordinatorTopology.MISSION_STORE);
    List<String> keys = new ArrayList<>();
    try (KeyValueIterator<String, SpecificRecord> all = store.all()) {
      all.forEachRemaining(e -> keys.add(e.key));
    }
    return keys;
  }

  private List<String> index() {
    KeyValueStore<String, String> store = coordinator.driver.getKeyValueStore(MissionIndex.STORE);
    List<String> keys = new ArrayList<>();
    try (KeyValueIterator<String, String> all = store.all()) {
      all.forEachRemaining(e -> keys.add(e.key.replace('\u0000', '/')));
    }
    return keys;
  }

  private List<KeyValue<String, byte[]>> changelog(String store) {
    return coordinator.driver.createOutputTopic(coordinator.config.applicationId() + "-" + store + "-changelog",
        new StringDeserializer(), new ByteArrayDeserializer()).readKeyValuesToList();
  }

  /** "key=null" or "key=value" for the last record of each key, NUL shown as '/'. */
  private static List<String> lastValueByKey(List<KeyValue<String, byte[]>> records) {
    Map<String, byte[]> last = new java.util.LinkedHashMap<>();
    records.forEach(kv -> last.put(kv.key.replace('\u0000', '/'), kv.value));
    List<String> out = new ArrayList<>();
    last.forEach((key, value) -> out.add(key + "=" + (value == null ? "null" : "value")));
    return out;
  }

  private static int indexOfKey(List<KeyValue<String, byte[]>> records, String key) {
    for (int i = records.size() - 1; i >= 0; i--) {
      if (records.get(i).key.equals(key)) {
        return i;
      }
    }
    throw new AssertionError("No changelog record of " + key);
  }
}
