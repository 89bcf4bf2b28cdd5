package io.groundcontrol.mission;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.StageStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A stage fanned out in chunks on a capped component: its chunks out are told apart by whether a
 * worker has them or they wait for a slot, and the grants' dispatches keep the log's time order.
 */
class CappedFanOutTest {
  private final InMemoryPlans plans = new InMemoryPlans().apply(TestPlan.named("fan")
      .param("ids", "[1,2,3,4,5]")
      .stage("score", "gpu", Map.of("ids", "\"${chunk.items}\""))
      .foreach("${params.ids}", 1, 3)
      .retry(2, 1000)
      .startTimeout(30_000));
  private final MissionHarness harness = new MissionHarness(plans, Set.of("gpu")::contains);

  private FanOut counters() {
    return harness.mission("m1").stage("score").orElseThrow().fanOut().orElseThrow();
  }

  @Test
  void chunksQueuedForASlotAreCountedApartFromThoseAWorkerHas() {
    harness.start("m1", "fan");
    assertThat(harness.mission("m1").stage("score[0]").orElseThrow().status()).isEqualTo(StageStatus.QUEUED);
    assertThat(counters().running()).as("three out, none granted").isZero();
    assertThat(counters().queuedForSlot()).isEqualTo(3);

    harness.grant("m1", "score[0]").stage("m1", "score[0]").started();
    assertThat(counters().running()).isEqualTo(1);
    assertThat(counters().queuedForSlot()).isEqualTo(2);
    assertThat(counters().summary()).isEqualTo("0/5 done, 1 running, 2 waiting for a slot, 0 failed, 2 queued");

    harness.stage("m1", "score[0]").finished();
    assertThat(counters().running()).as("score[3] took the place score[0] left, and queues").isZero();
    assertThat(counters().queuedForSlot()).isEqualTo(3);

    harness.grant("m1", "score[1]").stage("m1", "score[1]").failed("gpu lost");
    assertThat(counters().running()).as("awaiting its retry: out, no slot asked for yet").isEqualTo(1);
    assertThat(counters().queuedForSlot()).isEqualTo(2);
  }

  @Test
  void aFanOutStoredBeforeChunksQueuedForASlotWereCountedNeverCountsBelowZero() {
    FanOut stored = new FanOut(5, 3, 3, 0, 0, 0);

    stored.count(0, 0, 0, -1);
    stored.count(0, 0, 0, 1);

    assertThat(stored.queuedForSlot()).as("an undercount while its old chunks queue, never negative").isEqualTo(1);
    assertThat(stored.running()).isEqualTo(2);
  }

  /**
   * The admission stamps a grant with the time of what it decided on there (the release that freed
   * the slot); the mission meanwhile logged a worker's later report. The dispatch is logged no
   * earlier than that report, and its start timeout still counts from the grant.
   */
  @Test
  void aGrantStampedBeforeTheMissionsLastEventIsLoggedNoEarlier() {
    harness.start("m1", "fan").grant("m1", "score[0]").stage("m1", "score[0]").started();
    MissionEvent started = harness.lastEventRecords().get(0);

    harness.grantStampedBefore("m1", "score[1]", Duration.ofMillis(5));

    assertThat(harness.lastEvents()).containsExactly("StageDispatched");
    assertThat(harness.timers()).last().satisfies(timer -> {
      assertThat(timer.stage()).isEqualTo("score[1]");
      assertThat(timer.dueAt()).as("counted from the grant, as before")
          .isEqualTo(started.getTimestamp().minusMillis(5).plusSeconds(30));
    });
    assertThat(harness.lastEventRecords().get(0).getTimestamp()).isEqualTo(started.getTimestamp());
    assertThat(harness.mission("m1").stage("score[1]").orElseThrow().updatedAt()).isEqualTo(started.getTimestamp());
    List<MissionEvent> log = harness.log("m1");
    for (int i = 1; i < log.size(); i++) {
      assertThat(log.get(i).getTimestamp()).as("event " + log.get(i).getSequence())
          .isAfterOrEqualTo(log.get(i - 1).getTimestamp());
    }
  }
}
