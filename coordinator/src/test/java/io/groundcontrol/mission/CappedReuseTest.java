package io.groundcontrol.mission;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.StageDispatched;
import io.groundcontrol.schema.StageStatus;
import io.groundcontrol.schema.RunStage;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A stage with a reuse policy of a capped component: it asks the results index first, queues for
 * a slot only when it has to run, and its start timeout counts from the dispatch after the grant.
 */
class CappedReuseTest {
  private static final long HOUR = 3_600_000;
  private final InMemoryPlans plans = new InMemoryPlans().apply(TestPlan.named("daily")
      .param("day", "\"2026-11-22\"")
      .stage("extract", "warehouse", Map.of("day", "\"${params.day}\"")).reuse(HOUR).startTimeout(30_000));
  private final MissionHarness harness = new MissionHarness(plans, Set.of("warehouse")::contains);

  private StageView extract() {
    return harness.mission("m1").stage("extract").orElseThrow();
  }

  private long slotRequests() {
    return harness.lastEffects().stream().filter(Effect.RequestSlot.class::isInstance).count();
  }

  @Test
  void theResultsIndexIsAskedBeforeASlotIsRequested() {
    harness.start("m1", "daily");

    assertThat(harness.lastEvents()).containsExactly("MissionStarted", "StageResultRequested");
    assertThat(slotRequests()).isZero();
    assertThat(extract().status()).isEqualTo(StageStatus.AWAITING_RESULT);
  }

  @Test
  void aStageThatMustRunQueuesAndIsDispatchedWithItsResultKeyWhenGranted() {
    harness.start("m1", "daily").resultAnswer("m1", "extract", new RunStage());

    assertThat(harness.lastEvents()).containsExactly("StageQueued");
    assertThat(slotRequests()).isEqualTo(1);
    assertThat(harness.lastInstructions()).isEmpty();
    assertThat(harness.timers()).as("queued time counts toward no timeout").isEmpty();

    harness.grant("m1", "extract");

    assertThat(harness.lastEvents()).containsExactly("StageDispatched");
    StageDispatched dispatched = (StageDispatched) harness.lastEventRecords().get(0).getEvent();
    assertThat(dispatched.getResultKey()).isEqualTo(extract().resultKey().orElseThrow());
    assertThat(harness.lastInstructions()).as("sent by the admission with the grant").isEmpty();
    assertThat(extract().slotGranted()).isTrue();
    assertThat(harness.timers()).singleElement().satisfies(timer -> {
      assertThat(timer.kind()).isEqualTo(TimerFired.Kind.START_TIMEOUT);
      assertThat(timer.dueAt()).isEqualTo(harness.lastEventRecords().get(0).getTimestamp().plusSeconds(30));
    });
  }

  @Test
  void cancellingAQueuedStageWithdrawsItsRequestAndTellsTheIndex() {
    harness.start("m1", "daily").resultAnswer("m1", "extract", new RunStage()).cancel("m1");

    assertThat(harness.lastEffects()).filteredOn(Effect.ReleaseSlot.class::isInstance).hasSize(1);
    assertThat(harness.lastResultRequests()).extracting(r -> r.getRequest().getClass().getSimpleName())
        .containsExactly("ResultAbandoned");
  }
}
