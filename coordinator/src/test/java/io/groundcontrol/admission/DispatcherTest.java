package io.groundcontrol.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.AdmissionEntry;
import io.groundcontrol.schema.AdmissionRequest;
import io.groundcontrol.schema.ComponentSettings;
import io.groundcontrol.schema.ComponentStatus;
import io.groundcontrol.schema.ReleaseSlot;
import io.groundcontrol.schema.RequestSlot;
import io.groundcontrol.schema.InstructionKind;
import io.groundcontrol.schema.SlotGrant;
import io.groundcontrol.schema.StageInstruction;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dispatcher's queue and leases, without Kafka: caps, priority, fair shares, release. */
class DispatcherTest {
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private static final String BQ = "bigquery";

  private final InMemoryTable<AdmissionEntry> entries = new InMemoryTable<>();
  private final InMemoryTable<String> queue = new InMemoryTable<>();
  private final InMemoryTable<Long> counts = new InMemoryTable<>();
  private final Dispatcher dispatcher = new Dispatcher(entries, queue, counts);
  private ComponentSettings settings = cap(2);
  private Instant clock = T0;
  private final List<SlotGrant> granted = new ArrayList<>();
  private final List<StageInstruction> instructed = new ArrayList<>();

  private static ComponentSettings cap(Integer max) {
    return new ComponentSettings(BQ, max, Map.of());
  }

  private List<SlotGrant> request(String mission, String plan, int priority) {
    return send(new AdmissionRequest(BQ, mission, "load", 1, clock,
        new RequestSlot(plan, priority, true, Map.of("day", "\"mon\""), 60_000L)));
  }

  private List<SlotGrant> release(String mission) {
    return release(mission, false);
  }

  /** A release; {@code queued}: the mission still saw the attempt queued when it withdrew it. */
  private List<SlotGrant> release(String mission, boolean queued) {
    return send(new AdmissionRequest(BQ, mission, "load", 1, clock, new ReleaseSlot("finished", queued)));
  }

  private List<SlotGrant> send(AdmissionRequest request) {
    clock = clock.plusMillis(1);
    Decided decided = dispatcher.handle(request, settings, clock);
    granted.addAll(decided.grants());
    instructed.addAll(decided.instructions());
    return decided.grants();
  }

  private List<String> instructions() {
    List<String> kinds = instructed.stream().map(i -> i.getKind() + " " + i.getMissionId()).toList();
    instructed.clear();
    return kinds;
  }

  /** Plans weighted 3 ("heavy") and 1 ("light") queue 3,000 each under {@code cap}; then 2,000 attempts end. */
  private void floodHeavyAndLightThenRun(int cap) {
    settings = new ComponentSettings(BQ, cap, Map.of("heavy", 3, "light", 1));
    for (int i = 0; i < 3000; i++) {
      request("heavy-" + i, "heavy", 0);
      request("light-" + i, "light", 0);
    }
    grantAsTheOldestRunningEnds(2000);
  }

  /**
   * Ends {@code steps} attempts, the oldest running one each time (every attempt takes as long as
   * any other), leaving in {@code granted} only the grants those ends made.
   */
  private void grantAsTheOldestRunningEnds(int steps) {
    Deque<String> running = new ArrayDeque<>(missions(granted));
    granted.clear();
    for (int step = 0; step < steps; step++) {
      running.addAll(missions(release(running.poll())));
    }
  }

  private static List<String> missions(List<SlotGrant> grants) {
    return grants.stream().map(SlotGrant::getMissionId).toList();
  }

  @Test
  void grantsUpToTheCapThenQueuesInArrivalOrder() {
    assertThat(missions(request("m1", "a", 0))).containsExactly("m1");
    assertThat(missions(request("m2", "a", 0))).containsExactly("m2");
    assertThat(request("m3", "a", 0)).isEmpty();
    assertThat(request("m4", "a", 0)).isEmpty();

    assertThat(dispatcher.running(BQ)).isEqualTo(2);
    assertThat(dispatcher.queued(BQ)).isEqualTo(2);
    assertThat(missions(release("m1"))).containsExactly("m3");
    assertThat(granted.get(2).getRunning()).isEqualTo(2);
    assertThat(granted.get(2).getMaxRunning()).isEqualTo(2);
  }

  @Test
  void aRequestAskedTwiceCountsOnceAndAReleaseGivenTwiceFreesOnce() {
    request("m1", "a", 0);
    request("m1", "a", 0);
    request("m2", "a", 0);
    request("m3", "a", 0);
    assertThat(dispatcher.running(BQ)).isEqualTo(2);
    assertThat(dispatcher.queued(BQ)).isEqualTo(1);

    assertThat(missions(release("m1"))).containsExactly("m3");
    assertThat(release("m1")).isEmpty();
    assertThat(dispatcher.running(BQ)).isEqualTo(2);
    assertThat(dispatcher.queued(BQ)).isZero();
  }

  @Test
  void releasingAQueuedRequestWithdrawsItAndReleasingTheUnknownChangesNothing() {
    request("m1", "a", 0);
    request("m2", "a", 0);
    request("m3", "a", 0);

    release("m3");
    release("never-asked");
    assertThat(dispatcher.queued(BQ)).isZero();
    assertThat(release("m1")).isEmpty();
    assertThat(dispatcher.running(BQ)).isEqualTo(1);
    assertThat(entries.size()).isEqualTo(1);
    assertThat(queue.size()).isZero();
  }

  @Test
  void everythingReleasedLeavesNoEntryNoQueueAndNoSlot() {
    for (int i = 0; i < 50; i++) {
      request("m" + i, i % 2 == 0 ? "a" : "b", i % 3);
    }
    for (int i = 0; i < 50; i++) {
      release("m" + i);
    }
    assertThat(entries.size()).isZero();
    assertThat(queue.size()).isZero();
    assertThat(dispatcher.running(BQ)).isZero();
    assertThat(dispatcher.queued(BQ)).isZero();
    assertThat(granted).extracting(SlotGrant::getMissionId).doesNotHaveDuplicates();
  }

  @Test
  void aHigherPriorityBehindAThousandQueuedGetsTheNextSlot() {
    request("running-1", "a", 0);
    request("running-2", "a", 0);
    for (int i = 0; i < 1000; i++) {
      request("queued-" + i, "a", 0);
    }
    request("urgent", "b", 5);

    assertThat(missions(release("running-1"))).containsExactly("urgent");
    assertThat(missions(release("running-2"))).containsExactly("queued-0");
  }

  @Test
  void aPlanThatQueuedTenThousandDoesNotStarveAnotherPlansFirstStage() {
    settings = cap(4);
    for (int i = 0; i < 10_000; i++) {
      request("flood-" + i, "flood", 0);
    }
    request("first", "other", 0);

    assertThat(missions(release("flood-0"))).containsExactly("first");
  }

  @Test
  void underACapOfOneAPlansFirstStageWaitsForOneFloodGrantNotTheWholeFlood() {
    settings = cap(1);
    for (int i = 0; i < 10_000; i++) {
      request("flood-" + i, "flood", 0);
    }
    assertThat(missions(release("flood-0"))).containsExactly("flood-1");
    request("first", "other", 0);

    // Level with the flood, which took no turn while alone: the older request first, then the newcomer.
    assertThat(missions(release("flood-1"))).containsExactly("flood-2");
    assertThat(missions(release("flood-2"))).containsExactly("first");
    assertThat(missions(release("first"))).containsExactly("flood-3");
  }

  @Test
  void underACapOfOneTwoFloodingPlansAlternateAndWeightsHold() {
    floodHeavyAndLightThenRun(1);

    long heavy = granted.stream().filter(g -> g.getMissionId().startsWith("heavy-")).count();
    assertThat(granted).hasSize(2000);
    assertThat(heavy).isBetween(1490L, 1510L);
  }

  @Test
  void aPlanComingBackAfterIdlingGetsItsTurnButNoCreditForTheIdleTime() {
    settings = cap(1);
    request("a-0", "a", 0);
    for (int i = 1; i <= 100; i++) {
      request("a-" + i, "a", 0);
      release("a-" + (i - 1));
    }
    for (int i = 0; i < 10; i++) {
      request("b-" + i, "b", 0);
    }
    for (int i = 101; i < 110; i++) {
      request("a-" + i, "a", 0);
    }
    List<String> order = new ArrayList<>();
    String running = "a-100";
    for (int step = 0; step < 6; step++) {
      running = missions(release(running)).get(0);
      order.add(running);
    }

    // Turns alternate from b's arrival (ties to the older request), rather than ten grants to b for
    // being older, or a hundred for having idled while a ran alone.
    assertThat(order).containsExactly("b-0", "a-101", "b-1", "a-102", "b-2", "a-103");
  }

  @Test
  void twoFloodingPlansGetSlotsWithinTenPercentOfTheirWeights() {
    floodHeavyAndLightThenRun(8);

    Map<String, Integer> byPlan = new HashMap<>();
    granted.forEach(g -> byPlan.merge(g.getMissionId().substring(0, g.getMissionId().indexOf('-')), 1, Integer::sum));
    double heavyShare = byPlan.get("heavy") / (double) granted.size();
    assertThat(granted).hasSize(2000);
    assertThat(heavyShare).isBetween(0.75 * 0.9, 0.75 * 1.1);
    assertThat(dispatcher.runningOf(BQ, "heavy")).isEqualTo(6);
    assertThat(dispatcher.runningOf(BQ, "light")).isEqualTo(2);
  }

  @Test
  void equalWeightsShareEquallyWhateverTheArrivalOrder() {
    settings = cap(10);
    for (int i = 0; i < 500; i++) {
      request("a-" + i, "a", 0);
    }
    for (int i = 0; i < 500; i++) {
      request("b-" + i, "b", 0);
    }
    grantAsTheOldestRunningEnds(400);
    long a = granted.stream().filter(g -> g.getMissionId().startsWith("a-")).count();
    assertThat(a).isBetween(180L, 220L);
  }

  @Test
  void loweringTheCapTakesNoSlotBackAndGrantsOnlyOnceBelowIt() {
    settings = cap(4);
    for (int i = 0; i < 8; i++) {
      request("m" + i, "a", 0);
    }
    settings = cap(2);

    assertThat(release("m0")).isEmpty();
    assertThat(release("m1")).isEmpty();
    assertThat(dispatcher.running(BQ)).isEqualTo(2);
    assertThat(missions(release("m2"))).containsExactly("m4");
  }

  @Test
  void raisingOrRemovingTheCapGrantsWhatNowFits() {
    for (int i = 0; i < 6; i++) {
      request("m" + i, "a", 0);
    }
    assertThat(missions(dispatcher.grantWhatFits(BQ, cap(3), clock, 100).grants())).containsExactly("m2");
    Decided raised = dispatcher.grantWhatFits(BQ, cap(null), clock, 2);
    assertThat(missions(raised.grants())).containsExactly("m3", "m4");
    assertThat(raised.instructions()).extracting(StageInstruction::getMissionId).containsExactly("m3", "m4");
    assertThat(missions(dispatcher.grantWhatFits(BQ, null, clock, 100).grants())).containsExactly("m5");
  }

  @Test
  void aCapOfZeroHoldsEverything() {
    settings = cap(0);
    assertThat(request("m1", "a", 0)).isEmpty();
    assertThat(dispatcher.queued(BQ)).isEqualTo(1);
  }

  @Test
  void statusCountsRunningQueuedAndTheOldestQueued() {
    request("m1", "a", 0);
    request("m2", "a", 0);
    Instant oldest = clock;
    request("m3", "b", 0);
    request("m4", "a", 3);

    ComponentStatus status = dispatcher.status(BQ, settings, clock);
    assertThat(status.getMaxRunning()).isEqualTo(2);
    assertThat(status.getRunning()).isEqualTo(2);
    assertThat(status.getQueued()).isEqualTo(2);
    assertThat(status.getOldestQueuedAt()).isEqualTo(oldest);
    assertThat(dispatcher.components()).containsExactly(BQ);
  }

  @Test
  void componentsAreIndependent() {
    settings = cap(1);
    request("m1", "a", 0);
    AdmissionRequest other = new AdmissionRequest("spark", "m2", "load", 1, clock,
        new RequestSlot("a", 0, true, Map.of(), null));
    assertThat(dispatcher.handle(other, new ComponentSettings("spark", 1, Map.of()), clock).grants()).hasSize(1);
    assertThat(dispatcher.running(BQ)).isEqualTo(1);
    assertThat(dispatcher.running("spark")).isEqualTo(1);
  }

  @Test
  void aGrantSendsTheAttemptToItsWorkersWithWhatItsRequestCarried() {
    request("m1", "a", 0);

    assertThat(granted).singleElement().satisfies(g -> assertThat(g.getInstructed()).isTrue());
    assertThat(instructed).singleElement().satisfies(run -> {
      assertThat(run.getKind()).isEqualTo(InstructionKind.RUN);
      assertThat(run.getMissionId()).isEqualTo("m1");
      assertThat(run.getPlanName()).isEqualTo("a");
      assertThat(run.getStage()).isEqualTo("load");
      assertThat(run.getComponent()).isEqualTo(BQ);
      assertThat(run.getAttempt()).isEqualTo(1);
      assertThat(run.getParams()).containsExactly(Map.entry("day", "\"mon\""));
      assertThat(run.getTimeoutMs()).isEqualTo(60_000L);
      assertThat(run.getDispatchedAt()).isEqualTo(granted.get(0).getGrantedAt());
    });
  }

  @Test
  void aQueuedRequestIsSentWhenItsSlotIsGrantedAndNotBefore() {
    settings = cap(1);
    request("m1", "a", 0);
    request("m2", "a", 0);
    assertThat(instructions()).containsExactly("RUN m1");

    release("m1");
    assertThat(instructions()).containsExactly("RUN m2");
  }

  @Test
  void aRequestFromBeforeTheDispatcherSentInstructionsIsGrantedWithoutOne() {
    send(new AdmissionRequest(BQ, "m1", "load", 1, clock, RequestSlot.newBuilder().setPlanName("a").build()));

    assertThat(granted).singleElement().satisfies(g -> assertThat(g.getInstructed()).isFalse());
    assertThat(instructed).isEmpty();
  }

  @Test
  void withdrawingAnAttemptGrantedMeanwhileStopsItsWorkerAndFreesTheSlot() {
    settings = cap(1);
    request("m1", "a", 0);
    request("m2", "a", 0);
    instructions();

    assertThat(missions(release("m1", true))).containsExactly("m2");
    assertThat(instructions()).as("the CANCEL follows the RUN sent with the grant; then the next grant's RUN")
        .containsExactly("CANCEL m1", "RUN m2");
    assertThat(dispatcher.running(BQ)).isEqualTo(1);

    release("m1", true);
    assertThat(instructions()).as("a repeated withdrawal stops nothing twice").isEmpty();
  }

  @Test
  void withdrawingAnAttemptStillQueuedSendsNothing() {
    settings = cap(1);
    request("m1", "a", 0);
    request("m2", "a", 0);
    instructions();

    assertThat(release("m2", true)).isEmpty();
    assertThat(instructions()).isEmpty();
    assertThat(dispatcher.queued(BQ)).isZero();
    assertThat(dispatcher.running(BQ)).isEqualTo(1);
  }

  @Test
  void releasingAnAttemptItsMissionSawDispatchedSendsNoCancel() {
    request("m1", "a", 0);
    instructions();

    release("m1", false);
    assertThat(instructions()).as("the mission stops its workers itself").isEmpty();
    assertThat(dispatcher.running(BQ)).isZero();
  }
}
