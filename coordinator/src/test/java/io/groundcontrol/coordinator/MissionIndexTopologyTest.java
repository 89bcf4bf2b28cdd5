package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.query.MissionIndex;
import io.groundcontrol.schema.ReportFinished;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mission index is kept by the missions sub-topology in the same step that saves a mission:
 * every mission is listed under its status, and its status and plan; a status change moves both.
 */
class MissionIndexTopologyTest {
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private static final String NEWER = String.format("%016x", Long.MAX_VALUE - T0.plusSeconds(1).toEpochMilli());
  private static final String OLDER = String.format("%016x", Long.MAX_VALUE - T0.toEpochMilli());

  @TempDir
  Path stateDir;

  private CoordinatorDriver coordinator;

  @BeforeEach
  void setUp() {
    coordinator = new CoordinatorDriver(stateDir);
    coordinator.apply(TestPlan.named("a").stage("only", "warehouse").build());
    coordinator.apply(TestPlan.named("b").stage("only", "warehouse").build());
  }

  @AfterEach
  void tearDown() {
    coordinator.close();
  }

  @Test
  void aStartedMissionIsListedUnderItsStatusAndItsStatusAndPlan() {
    coordinator.start("m-1", "a", T0);

    assertThat(index()).containsExactly(
        "s/RUNNING/" + OLDER + "/m-1",
        "sp/RUNNING/a/" + OLDER + "/m-1");
  }

  @Test
  void aFinishedMissionMovesBothItsEntries() {
    coordinator.start("m-1", "a", T0);
    coordinator.start("m-2", "b", T0.plusSeconds(1));

    coordinator.report("m-1", "only", 1, new ReportFinished(Map.of()), T0.plusSeconds(2));

    assertThat(index()).containsExactly(
        "s/FINISHED/" + OLDER + "/m-1",
        "s/RUNNING/" + NEWER + "/m-2",
        "sp/FINISHED/a/" + OLDER + "/m-1",
        "sp/RUNNING/b/" + NEWER + "/m-2");
  }

  @Test
  void theIndexWritesNoChangelogTheMissionsStoreDoes() {
    coordinator.start("m-1", "a", T0);
    coordinator.report("m-1", "only", 1, new ReportFinished(Map.of()), T0.plusSeconds(2));

    String prefix = coordinator.config.applicationId() + "-";
    assertThat(coordinator.driver.producedTopicNames())
        .contains(prefix + CoordinatorTopology.MISSION_STORE + "-changelog")
        .doesNotContain(prefix + MissionIndex.STORE + "-changelog");
  }

  @Test
  void aRejectedStartListsNothing() {
    coordinator.start("m-1", "unknown-plan", T0);
    coordinator.advanceWallClock(java.time.Duration.ofSeconds(10));

    assertThat(index()).containsExactly("v/backfill=done");
  }

  @Test
  void missionsStoredBeforeTheIndexExistedAreListedOnceByTheBackfill() {
    coordinator.start("m-1", "a", T0);
    coordinator.start("m-2", "b", T0.plusSeconds(1));
    coordinator.report("m-1", "only", 1, new ReportFinished(Map.of()), T0.plusSeconds(2));
    List<String> indexed = index();
    KeyValueStore<String, String> store = coordinator.driver.getKeyValueStore(MissionIndex.STORE);
    List<String> keys = new ArrayList<>();
    try (KeyValueIterator<String, String> all = store.all()) {
      all.forEachRemaining(e -> keys.add(e.key));
    }
    keys.forEach(store::delete);

    coordinator.advanceWallClock(java.time.Duration.ofMillis(200));

    assertThat(index()).containsAll(indexed).hasSize(indexed.size() + 1).contains("v/backfill=done");
  }

  /** The index store's entries, NUL shown as '/', values after '=' where not empty. */
  private List<String> index() {
    KeyValueStore<String, String> store = coordinator.driver.getKeyValueStore(MissionIndex.STORE);
    List<String> entries = new ArrayList<>();
    try (KeyValueIterator<String, String> all = store.all()) {
      all.forEachRemaining(e -> entries.add(e.key.replace('\u0000', '/') + (e.value.isEmpty() ? "" : "=" + e.value)));
    }
    return entries;
  }
}
