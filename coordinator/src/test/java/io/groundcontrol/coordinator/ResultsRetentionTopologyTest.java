package io.groundcontrol.coordinator;

import static io.groundcontrol.coordinator.CoordinatorDriver.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.mission.MissionLimits;
import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.results.ResultsTopology;
import io.groundcontrol.schema.ReportFinished;
import io.groundcontrol.schema.ResultEntry;
import io.groundcontrol.schema.StageInstruction;
import io.groundcontrol.schema.StageStatus;
import io.groundcontrol.schema.StartMission;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The results index forgets results no stage can reuse any more: a coordinator keeping results an
 * hour, request times moved by the missions started, the sweep run by moving the wall clock.
 */
class ResultsRetentionTopologyTest {
  private static final Duration HOUR = Duration.ofHours(1);
  /** Past the least time between two passes of the sweep, so that moving the clock by it runs one. */
  private static final Duration PASS = Duration.ofMinutes(2);

  @TempDir Path stateDir;
  private CoordinatorDriver coordinator;
  private TestOutputTopic<String, StageInstruction> warehouse;
  private Instant wallClock = T0;

  private void startWithResultsKeptAnHour(Duration maxAge) {
    coordinator = new CoordinatorDriver(CoordinatorConfig.defaults("unused:9092", stateDir)
        .withLimits(MissionLimits.DEFAULTS.withResultsRetention(HOUR)));
    warehouse = coordinator.instructions("warehouse");
    coordinator.apply(TestPlan.named("daily").param("day", null)
        .stage("extract", "warehouse", Map.of("day", "\"${params.day}\"")).reuse(maxAge.toMillis()).build());
  }

  /** m1 computes day d1's result at T0 + 1 s, under {@code maxAge}. */
  private void m1ComputesDayOneWithResultsKeptAnHour(Duration maxAge) {
    startWithResultsKeptAnHour(maxAge);
    start("m1", "d1", T0);
    finish("m1", T0.plusSeconds(1));
  }

  @AfterEach
  void tearDown() {
    coordinator.close();
  }

  /** Moves the wall clock by {@code by}, running the sweep if a pass is due. */
  private void advance(Duration by) {
    coordinator.advanceWallClock(by);
    wallClock = wallClock.plus(by);
  }

  /** Starts {@code mission} over {@code day}, the wall clock moved to {@code at} first. */
  private void start(String mission, String day, Instant at) {
    advance(Duration.between(wallClock, at));
    coordinator.command(mission,
        new StartMission("daily", Map.of("day", "\"" + day + "\""), List.of(), List.of(), false, 0), at);
  }

  private void finish(String mission, Instant at) {
    advance(Duration.between(wallClock, at));
    coordinator.report(mission, "extract", 1, new ReportFinished(Map.of("table", "\"t\"")), at);
  }

  /** Per result key, the mission whose result is the newest; "-" for none yet. */
  private List<String> newestResults() {
    KeyValueStore<String, ResultEntry> store = coordinator.driver.getKeyValueStore(ResultsTopology.STORE);
    List<String> found = new ArrayList<>();
    try (KeyValueIterator<String, ResultEntry> all = store.all()) {
      all.forEachRemaining(e -> found.add(e.value.getLatest() == null ? "-" : e.value.getLatest().getMissionId()));
    }
    return found;
  }

  private List<String> instructed() {
    return warehouse.readValuesToList().stream().map(StageInstruction::getMissionId).toList();
  }

  @Test
  void aResultIsForgottenOnceRequestsMoreThanTheRetentionAfterItAreRead() {
    m1ComputesDayOneWithResultsKeptAnHour(Duration.ofMinutes(10));
    start("m2", "d2", T0.plus(Duration.ofMinutes(30)));
    advance(PASS);
    assertThat(newestResults()).as("m1's result is 32 min old at the newest request").contains("m1");

    start("m3", "d3", T0.plus(HOUR).plus(Duration.ofMinutes(5)));
    advance(PASS);

    assertThat(newestResults()).as("m2 and m3 compute theirs").containsExactlyInAnyOrder("-", "-");
  }

  @Test
  void ageCountsUpToTheNewestRequestReadNotUpToTheWallClock() {
    m1ComputesDayOneWithResultsKeptAnHour(Duration.ofMinutes(10));

    advance(Duration.ofHours(3));

    assertThat(newestResults()).as("kept for requests written meanwhile, still to be read").containsExactly("m1");
  }

  @Test
  void anEntryAStageComputesOrWaitsForIsKeptHoweverOldItsResult() {
    m1ComputesDayOneWithResultsKeptAnHour(Duration.ofMinutes(10));
    start("m2", "d1", T0.plus(Duration.ofHours(2)));
    start("m3", "d1", T0.plus(Duration.ofHours(2)));
    assertThat(instructed()).containsExactly("m1", "m2");
    assertThat(coordinator.storedStage("m3", "extract").getStatus()).isEqualTo(StageStatus.AWAITING_RESULT);

    advance(PASS);
    advance(PASS);
    finish("m2", T0.plus(Duration.ofHours(2)).plus(Duration.ofMinutes(5)));

    assertThat(coordinator.storedStage("m3", "extract").getStatus()).isEqualTo(StageStatus.REUSED);
    assertThat(coordinator.storedStage("m3", "extract").getReusedFrom().getMissionId()).isEqualTo("m2");
  }

  @Test
  void aPlanReusingResultsOlderThanTheRetentionKeepsThemThatLong() {
    m1ComputesDayOneWithResultsKeptAnHour(Duration.ofHours(3));
    start("m2", "d2", T0.plus(Duration.ofHours(2)));
    advance(PASS);

    start("m3", "d1", T0.plus(Duration.ofHours(2)).plus(PASS));

    assertThat(instructed()).containsExactly("m1", "m2");
    assertThat(coordinator.storedStage("m3", "extract").getReusedFrom().getMissionId()).isEqualTo("m1");
  }
}
