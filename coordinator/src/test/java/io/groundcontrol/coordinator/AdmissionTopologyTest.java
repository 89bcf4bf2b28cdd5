package io.groundcontrol.coordinator;

import static io.groundcontrol.coordinator.CoordinatorDriver.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.AdmissionRequest;
import io.groundcontrol.schema.ComponentStatus;
import io.groundcontrol.schema.InstructionKind;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.ReportFailed;
import io.groundcontrol.schema.ReportFinished;
import io.groundcontrol.schema.ReleaseSlot;
import io.groundcontrol.schema.ReportStarted;
import io.groundcontrol.schema.RetryStage;
import io.groundcontrol.schema.SkipStage;
import io.groundcontrol.schema.StageDispatched;
import io.groundcontrol.schema.StageInstruction;
import io.groundcontrol.schema.StageStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both sub-topologies together: missions ask the admission sub-topology for slots of a capped
 * component through admission-requests, and get grants back through admission-grants.
 */
class AdmissionTopologyTest {
  @TempDir Path stateDir;

  private CoordinatorDriver coordinator;
  private TestOutputTopic<String, StageInstruction> bq;
  private TestOutputTopic<String, StageInstruction> mail;
  private Instant clock = T0.plusSeconds(1);

  @BeforeEach
  void setUp() {
    coordinator = new CoordinatorDriver(stateDir);
    bq = coordinator.instructions("bq");
    mail = coordinator.instructions("mail");
    coordinator.apply(TestPlan.named("load").stage("load", "bq").timeout(60_000).build());
    coordinator.apply(TestPlan.named("notify").stage("send", "mail").build());
    coordinator.cap("bq", 2, T0);
  }

  @AfterEach
  void tearDown() {
    coordinator.close();
  }

  private Instant tick() {
    clock = clock.plusMillis(10);
    return clock;
  }

  private List<String> runs() {
    return bq.readValuesToList().stream().filter(i -> i.getKind() == InstructionKind.RUN)
        .map(StageInstruction::getMissionId).toList();
  }

  private void finish(String missionId) {
    coordinator.report(missionId, "load", 1, new ReportFinished(Map.of()), tick());
  }

  private StageStatus status(String missionId) {
    return coordinator.storedStage(missionId, "load").getStatus();
  }

  @Test
  void aCappedComponentRunsAtMostItsCapAndTheQueueDrainsInOrder() {
    for (int i = 1; i <= 5; i++) {
      coordinator.start("m" + i, "load", tick());
    }
    assertThat(runs()).containsExactly("m1", "m2");
    assertThat(status("m3")).isEqualTo(StageStatus.QUEUED);

    finish("m1");
    assertThat(runs()).containsExactly("m3");
    finish("m2");
    finish("m3");
    assertThat(runs()).containsExactly("m4", "m5");
    finish("m4");
    finish("m5");

    for (int i = 1; i <= 5; i++) {
      assertThat(coordinator.stored("m" + i).getStatus()).isEqualTo(MissionStatus.FINISHED);
    }
    coordinator.advanceWallClock(Duration.ofMillis(250));
    ComponentStatus status = lastStatus();
    assertThat(status.getRunning()).isZero();
    assertThat(status.getQueued()).isZero();
  }

  @Test
  void theLogShowsQueuedThenDispatchedByTheAdmission() {
    coordinator.start("m1", "load", tick());
    List<MissionEvent> events = coordinator.events.readValuesToList();

    assertThat(events).extracting(e -> e.getEvent().getClass().getSimpleName())
        .containsExactly("MissionStarted", "StageQueued", "StageDispatched");
    assertThat(events.get(2).getCause().getKind().name()).isEqualTo("ADMISSION");
  }

  /**
   * The admission reads releases and requests as they arrive, not in time order: a finish report
   * from a partition that was down reaches it after requests other partitions sent meanwhile. The
   * slot that report frees goes to such a request, and the log must not show that dispatch before
   * the request, or an audit replaying the log would count the slot twice over the span.
   */
  @Test
  void aSlotFreedByALateReportIsNotLoggedAsDispatchedBeforeTheRequestItAnswers() {
    clock = T0.minusSeconds(10); // inputs in the past: the driver's clock stands at T0
    Instant beforeTheOthers = clock;
    coordinator.start("m1", "load", tick());
    coordinator.start("m2", "load", tick());
    coordinator.start("m3", "load", tick());
    assertThat(runs()).containsExactly("m1", "m2");
    coordinator.events.readValuesToList();

    coordinator.report("m1", "load", 1, new ReportFinished(Map.of()), beforeTheOthers);

    assertThat(runs()).containsExactly("m3");
    List<MissionEvent> m3 = coordinator.events.readValuesToList().stream()
        .filter(e -> e.getMissionId().equals("m3")).toList();
    assertThat(m3).extracting(e -> e.getEvent().getClass().getSimpleName()).containsExactly("StageDispatched");
    assertThat(m3.get(0).getTimestamp()).as("the dispatch, at the latest input the admission had read")
        .isEqualTo(clock);
  }

  /**
   * A sender whose clock runs fast stamps its own input, and the grant it frees, ahead. Later grants
   * are stamped no later than the present: the coordinator's clock, not that sender's.
   */
  @Test
  void aReleaseStampedAheadOfTheClockDoesNotStampLaterGrantsInTheFuture() {
    clock = T0.minusSeconds(10); // inputs in the past: the driver's clock stands at T0
    coordinator.start("m1", "load", tick());
    coordinator.start("m2", "load", tick());
    coordinator.start("m3", "load", tick());
    coordinator.start("m4", "load", tick());
    assertThat(runs()).containsExactly("m1", "m2");
    coordinator.events.readValuesToList();

    Instant anHourAhead = clock.plus(Duration.ofHours(1));
    coordinator.report("m1", "load", 1, new ReportFinished(Map.of()), anHourAhead);
    finish("m2");

    assertThat(runs()).containsExactly("m3", "m4");
    assertThat(coordinator.events.readValuesToList()).filteredOn(e -> e.getEvent() instanceof StageDispatched)
        .extracting(MissionEvent::getMissionId, MissionEvent::getTimestamp)
        .containsExactly(tuple("m3", anHourAhead), tuple("m4", T0));
  }

  @Test
  void anUncappedComponentKeepsTheDirectPath() {
    coordinator.start("m1", "notify", tick());

    assertThat(mail.readValuesToList()).hasSize(1);
    assertThat(coordinator.admissionRequests.isEmpty()).isTrue();
  }

  @Test
  void aRaisedCapTakesEffectWithinATickAndALoweredOneStopsNothingRunning() {
    for (int i = 1; i <= 6; i++) {
      coordinator.start("m" + i, "load", tick());
    }
    assertThat(runs()).hasSize(2);

    coordinator.cap("bq", 4, tick());
    coordinator.advanceWallClock(Duration.ofMillis(250));
    assertThat(runs()).containsExactly("m3", "m4");

    coordinator.cap("bq", 1, tick());
    coordinator.advanceWallClock(Duration.ofMillis(250));
    assertThat(bq.readValuesToList()).isEmpty();
    assertThat(status("m1")).isEqualTo(StageStatus.DISPATCHED);
    finish("m1");
    finish("m2");
    finish("m3");
    assertThat(runs()).isEmpty();
    finish("m4");
    assertThat(runs()).containsExactly("m5");
  }

  @Test
  void aHigherPriorityMissionGetsTheNextSlot() {
    coordinator.cap("bq", 1, tick());
    coordinator.start("m1", "load", tick());
    for (int i = 2; i <= 20; i++) {
      coordinator.start("m" + i, "load", tick());
    }
    coordinator.start("urgent", "load", 5, tick());
    assertThat(runs()).containsExactly("m1");

    finish("m1");
    assertThat(runs()).containsExactly("urgent");
  }

  @Test
  void cancellingMissionsReleasesTheirSlotsAndWithdrawsTheirRequests() {
    for (int i = 1; i <= 4; i++) {
      coordinator.start("m" + i, "load", tick());
    }
    runs();
    coordinator.command("m3", new io.groundcontrol.schema.CancelMission("not today"), tick());
    coordinator.command("m1", new io.groundcontrol.schema.CancelMission("not today"), tick());

    assertThat(runs()).containsExactly("m4");
    coordinator.advanceWallClock(Duration.ofMillis(250));
    ComponentStatus status = lastStatus();
    assertThat(status.getRunning()).isEqualTo(2);
    assertThat(status.getQueued()).isZero();
  }

  @Test
  void aTimedOutAttemptGivesBackItsSlot() {
    coordinator.cap("bq", 1, tick());
    coordinator.start("m1", "load", tick());
    coordinator.start("m2", "load", tick());
    coordinator.report("m1", "load", 1, new ReportStarted(null, null), tick());
    assertThat(runs()).containsExactly("m1");

    coordinator.advanceWallClock(Duration.ofSeconds(65));

    assertThat(coordinator.stored("m1").getStatus()).isEqualTo(MissionStatus.FAILED);
    assertThat(runs()).containsExactly("m2");
  }

  @Test
  void statusIsPublishedOnChangeWithTheOldestQueued() {
    for (int i = 1; i <= 3; i++) {
      coordinator.start("m" + i, "load", tick());
    }
    coordinator.advanceWallClock(Duration.ofMillis(250));

    ComponentStatus status = lastStatus();
    assertThat(status.getMaxRunning()).isEqualTo(2);
    assertThat(status.getRunning()).isEqualTo(2);
    assertThat(status.getQueued()).isEqualTo(1);
    assertThat(status.getOldestQueuedAt()).isNotNull();

    coordinator.advanceWallClock(Duration.ofMillis(250));
    assertThat(coordinator.componentStatus.isEmpty()).as("nothing changed: nothing published").isTrue();
  }

  @Test
  void theAdmissionSendsTheRunWithTheGrantAndTheMissionOnlyRecordsTheDispatch() {
    coordinator.start("m1", "load", tick());

    List<StageInstruction> sent = bq.readValuesToList();
    assertThat(sent).singleElement().satisfies(run -> {
      assertThat(run.getKind()).isEqualTo(InstructionKind.RUN);
      assertThat(run.getMissionId()).isEqualTo("m1");
      assertThat(run.getPlanName()).isEqualTo("load");
      assertThat(run.getAttempt()).isEqualTo(1);
      assertThat(run.getTimeoutMs()).isEqualTo(60_000L);
    });
    List<MissionEvent> events = coordinator.events.readValuesToList();
    assertThat(events).extracting(e -> e.getEvent().getClass().getSimpleName())
        .containsExactly("MissionStarted", "StageQueued", "StageDispatched");
    assertThat(events.get(2).getTimestamp()).isEqualTo(sent.get(0).getDispatchedAt());
    assertThat(status("m1")).isEqualTo(StageStatus.DISPATCHED);
  }

  @Test
  void aWorkerReportThatOvertakesTheGrantRecordsTheDispatchOnceAndTheGrantChangesNothing() {
    coordinator.cap("bq", 0, tick());
    coordinator.start("m1", "load", tick());
    assertThat(status("m1")).isEqualTo(StageStatus.QUEUED);
    coordinator.events.readValuesToList();

    // As if the admission had granted and sent the RUN, and the worker's report came back first.
    coordinator.report("m1", "load", 1, new ReportStarted(null, null), tick());
    assertThat(coordinator.newEventKinds()).containsExactly("StageDispatched", "StageStarted");
    assertThat(status("m1")).isEqualTo(StageStatus.RUNNING);

    coordinator.cap("bq", 2, tick());
    coordinator.advanceWallClock(Duration.ofMillis(250));
    assertThat(runs()).as("the grant comes late, with its RUN").containsExactly("m1");
    assertThat(coordinator.newEventKinds()).as("the late grant records nothing").isEmpty();
    assertThat(lastStatus().getRunning()).isEqualTo(1);

    finish("m1");
    assertThat(coordinator.stored("m1").getStatus()).isEqualTo(MissionStatus.FINISHED);
    coordinator.advanceWallClock(SlotLeases.IDLE.plusMillis(250));
    coordinator.advanceWallClock(Duration.ofMillis(250));
    assertThat(lastStatus().getRunning()).as("released when the attempt finished, its leased slot once idle")
        .isZero();
  }

  @Test
  void aWithdrawalThatCrossedItsGrantStopsTheWorkerAfterTheRunAndFreesTheSlot() {
    for (int i = 1; i <= 3; i++) {
      coordinator.start("m" + i, "load", tick());
    }
    assertThat(runs()).containsExactly("m1", "m2");

    // Mission m1 withdrew attempt 1 while it still saw it queued: its grant and RUN were on their way.
    coordinator.admissionRequestsIn.pipeInput("bq", new AdmissionRequest("bq", "m1", "load", 1, tick(),
        new ReleaseSlot("skipped", true)), clock);

    assertThat(bq.readValuesToList()).extracting(i -> i.getKind() + " " + i.getMissionId())
        .containsExactly("CANCEL m1", "RUN m3");
    coordinator.advanceWallClock(Duration.ofMillis(250));
    assertThat(lastStatus().getRunning()).isEqualTo(2);
  }

  @Test
  void skippingAQueuedStageSendsNoInstructionAndSkippingADispatchedOneOneCancel() {
    coordinator.cap("bq", 1, tick());
    coordinator.start("m1", "load", tick());
    coordinator.start("m2", "load", tick());
    assertThat(runs()).containsExactly("m1");

    coordinator.command("m2", new SkipStage("load", null), tick());
    assertThat(bq.readValuesToList()).isEmpty();
    coordinator.command("m1", new SkipStage("load", null), tick());
    assertThat(bq.readValuesToList()).extracting(i -> i.getKind() + " " + i.getMissionId())
        .containsExactly("CANCEL m1");

    coordinator.advanceWallClock(Duration.ofMillis(250));
    ComponentStatus status = lastStatus();
    assertThat(status.getRunning()).isZero();
    assertThat(status.getQueued()).isZero();
  }

  @Test
  void consecutiveStagesOfACappedComponentFarBelowItsCapHandTheSlotOnInOneHop() {
    coordinator.apply(TestPlan.named("etl").stage("extract", "bq").stage("transform", "bq", "extract").build());
    coordinator.cap("bq", 10, tick());
    coordinator.start("m1", "etl", tick());
    assertThat(runs()).containsExactly("m1");
    assertThat(coordinator.admissionRequests.readValuesToList()).hasSize(1);
    coordinator.events.readValuesToList();

    coordinator.report("m1", "extract", 1, new ReportFinished(Map.of()), tick());

    assertThat(bq.readValuesToList()).extracting(i -> i.getKind() + " " + i.getStage())
        .containsExactly("RUN transform");
    assertThat(coordinator.admissionRequests.isEmpty()).as("neither a release nor a request").isTrue();
    assertThat(coordinator.newEventKinds()).containsExactly("StageFinished", "StageQueued", "StageDispatched");

    coordinator.report("m1", "transform", 1, new ReportFinished(Map.of()), tick());
    assertThat(coordinator.admissionRequests.isEmpty()).as("idle, kept for the partition's next stage of bq").isTrue();
    coordinator.advanceWallClock(SlotLeases.IDLE.plusMillis(250));
    assertThat(coordinator.admissionRequests.readValuesToList()).singleElement().satisfies(release -> {
      assertThat(release.getAction()).isInstanceOf(ReleaseSlot.class);
      assertThat(release.getStage()).as("the slot's name at the admission").isEqualTo("extract");
    });
    assertThat(coordinator.stored("m1").getStatus()).isEqualTo(MissionStatus.FINISHED);
    coordinator.advanceWallClock(Duration.ofMillis(250));
    assertThat(lastStatus().getRunning()).isZero();
  }

  @Test
  void pastHalfItsCapTheSlotGoesBackAndTheNextStageQueuesBehindOlderRequests() {
    coordinator.apply(TestPlan.named("etl").stage("extract", "bq").stage("transform", "bq", "extract").build());
    coordinator.start("m1", "etl", tick());
    coordinator.start("m2", "etl", tick());
    coordinator.start("m3", "etl", tick());
    assertThat(runs()).containsExactly("m1", "m2");

    coordinator.report("m1", "extract", 1, new ReportFinished(Map.of()), tick());

    assertThat(runs()).as("the lease was reclaimed: the oldest request gets the slot").containsExactly("m3");
    assertThat(coordinator.storedStage("m1", "transform").getStatus()).isEqualTo(StageStatus.QUEUED);
  }

  @Test
  void aSlotLeftIdleServesTheNextMissionOfThePartitionAndACancelledHolderGivesItBackOnceIdle() {
    leaveM1sLeasedSlotIdle();

    coordinator.start("m2", "load", tick());
    assertThat(runs()).as("on m1's slot, kept idle in the partition").containsExactly("m2");
    assertThat(coordinator.admissionRequests.isEmpty()).isTrue();

    coordinator.command("m2", new io.groundcontrol.schema.CancelMission("not today"), tick());
    assertThat(bq.readValuesToList()).extracting(i -> i.getKind() + " " + i.getMissionId())
        .containsExactly("CANCEL m2");
    coordinator.advanceWallClock(SlotLeases.IDLE.plusMillis(250));
    assertThat(coordinator.admissionRequests.readValuesToList()).singleElement()
        .satisfies(release -> assertThat(release.getMissionId()).as("under its first name").isEqualTo("m1"));
    coordinator.advanceWallClock(Duration.ofMillis(250));
    assertThat(lastStatus().getRunning()).isZero();
  }

  /**
   * README: "max_running: 0 holds everything queued". The admission reads a cap on its tick; a
   * missions partition reads it from its global store before handing on a slot leased earlier.
   */
  @Test
  void aCapOfZeroHoldsAStageThatFindsALeasedSlotIdleInItsPartition() {
    leaveM1sLeasedSlotIdle();

    coordinator.cap("bq", 0, tick());
    coordinator.start("m2", "load", tick());

    assertThat(runs()).as("cap 0: nothing runs").isEmpty();
    assertThat(status("m2")).isEqualTo(StageStatus.QUEUED);
    assertThat(coordinator.admissionRequests.readValuesToList())
        .extracting(r -> r.getAction().getClass().getSimpleName() + " " + r.getMissionId())
        .as("asked, and the admission, holding it, took the idle slot back")
        .containsExactly("RequestSlot m2", "ReleaseSlot m1");
    coordinator.cap("bq", 10, tick());
    coordinator.advanceWallClock(Duration.ofMillis(250));
    assertThat(runs()).containsExactly("m2");
  }

  /**
   * The admission counts a slot under the plan it granted it to: were plan a's idle slots handed to
   * plan b here, plan a would count them still, and lose the next slot to plan b on its fair share.
   */
  @Test
  void fairSharesCountTheSlotsEachPlanReallyHoldsOnceAnotherPlanComesAfterALeasedSlotWentIdle() {
    leaveTwoSlotsOfPlanAIdle();
    coordinator.start("b1", "b", tick());
    coordinator.start("b2", "b", tick());
    coordinator.start("b3", "b", tick());
    coordinator.start("b4", "b", tick());
    assertThat(runs()).containsExactly("b1", "b2", "b3", "b4");
    // plan b now runs 4 of 4, plan a none; one of each queues, b's first
    coordinator.start("b5", "b", tick());
    coordinator.start("a3", "a", tick());
    assertThat(runs()).isEmpty();

    finish("b3");

    assertThat(runs()).as("plan a holds nothing, plan b three: a's stage goes next").containsExactly("a3");
  }

  /**
   * A stage of another plan asks the admission rather than take a slot left idle here: with the
   * component at its (lowered) cap, the admission reclaims those leases, and the stage gets a slot
   * that comes back, without waiting for the idle ones to expire.
   */
  @Test
  void aStageOfAnotherPlanGetsASlotThatAnotherPlanLeftIdleThroughTheAdmission() {
    leaveTwoSlotsOfPlanAIdle();
    coordinator.cap("bq", 2, tick());

    coordinator.start("b1", "b", tick());

    assertThat(runs()).as("on a slot the admission took back from plan a").containsExactly("b1");
    assertThat(coordinator.admissionRequests.readValuesToList())
        .extracting(r -> r.getAction().getClass().getSimpleName() + " " + r.getMissionId())
        .containsExactly("RequestSlot b1", "ReleaseSlot a1", "ReleaseSlot a2");
    coordinator.advanceWallClock(Duration.ofMillis(250));
    assertThat(lastStatus().getRunning()).isEqualTo(1);
  }

  /**
   * A leased slot is named after the attempt first granted it and may be handed on to another
   * mission: a stage fanned out again must not ask under that name, or the admission takes the ask
   * for a repeat of the first and never answers it.
   */
  @Test
  void aStageFannedOutAgainGetsASlotWhileAnotherMissionHoldsTheOneNamedAfterItsFirstAttempt() {
    coordinator.apply(TestPlan.named("fan").param("ids", "[1]")
        .stage("x", "bq", Map.of("ids", "\"${chunk.items}\"")).foreach("${params.ids}", 1, 1).build());
    coordinator.cap("bq", 10, tick());
    coordinator.start("m1", "fan", tick());
    coordinator.report("m1", "x[0]", 1,
        new ReportFailed(new io.groundcontrol.schema.StageError("bad id", null, false)), tick());
    assertThat(coordinator.stored("m1").getStatus()).isEqualTo(MissionStatus.FAILED);
    coordinator.start("m2", "load", tick());
    assertThat(runs()).as("m2 on the slot named after m1's x[0] attempt 1").containsExactly("m1", "m2");

    coordinator.command("m1", new RetryStage("x", false), tick());

    assertThat(bq.readValuesToList()).extracting(i -> i.getKind() + " " + i.getMissionId() + " " + i.getStage()
        + " " + i.getAttempt()).containsExactly("RUN m1 x[0] 2");
    assertThat(coordinator.storedStage("m1", "x[0]").getStatus()).isEqualTo(StageStatus.DISPATCHED);
  }

  /**
   * A coordinator two minutes behind reads a finish report that frees a slot; the admission grants
   * it at the report's time and sends the RUN now. The granted stage's start timeout counts from
   * when its mission reads the grant, not from that old time.
   */
  @Test
  void aStartTimeoutCountsFromWhenTheGrantIsReadNotFromTheLateReportThatFreedTheSlot() {
    clock = T0.minusSeconds(120); // inputs in the past: the driver's clock stands at T0
    coordinator.apply(TestPlan.named("train").stage("fit", "bq").startTimeout(30_000).build());
    coordinator.cap("bq", 1, tick());
    coordinator.start("m1", "train", tick());
    coordinator.start("m2", "train", tick());
    coordinator.report("m1", "fit", 1, new ReportStarted(null, clock), tick());

    coordinator.report("m1", "fit", 1, new ReportFinished(Map.of()), tick());
    assertThat(runs()).containsExactly("m1", "m2");
    coordinator.advanceWallClock(Duration.ofMillis(29_900));

    assertThat(coordinator.storedStage("m2", "fit").getStatus()).isEqualTo(StageStatus.DISPATCHED);
    coordinator.advanceWallClock(Duration.ofMillis(200));
    assertThat(coordinator.storedStage("m2", "fit").getStatus()).isEqualTo(StageStatus.FAILED);
  }

  /** The same for a slot handed on in one hop: the next stage's start timeout counts from the hand-on. */
  @Test
  void aStartTimeoutCountsFromWhenALeasedSlotIsHandedOnNotFromTheLateReportThatFreedIt() {
    coordinator.apply(TestPlan.named("etl").stage("extract", "bq").stage("transform", "bq", "extract")
        .startTimeout(30_000).build());
    coordinator.cap("bq", 10, tick());
    coordinator.start("m1", "etl", tick());
    coordinator.report("m1", "extract", 1, new ReportStarted(null, clock), tick());
    coordinator.advanceWallClock(Duration.ofSeconds(60));

    coordinator.report("m1", "extract", 1, new ReportFinished(Map.of()), tick());
    assertThat(bq.readValuesToList()).extracting(i -> i.getKind() + " " + i.getStage())
        .containsExactly("RUN extract", "RUN transform");
    assertThat(coordinator.admissionRequests.readValuesToList()).as("handed on, not asked again").hasSize(1);
    coordinator.advanceWallClock(Duration.ofMillis(29_900));

    assertThat(coordinator.storedStage("m1", "transform").getStatus()).isEqualTo(StageStatus.DISPATCHED);
    coordinator.advanceWallClock(Duration.ofMillis(200));
    assertThat(coordinator.storedStage("m1", "transform").getStatus()).isEqualTo(StageStatus.FAILED);
  }

  private ComponentStatus lastStatus() {
    List<ComponentStatus> all = new ArrayList<>(coordinator.componentStatus.readValuesToList());
    assertThat(all).as("published statuses").isNotEmpty();
    return all.get(all.size() - 1);
  }

  /** Capped at 10, mission m1 ran on a leased slot, idle in its partition since. */
  private void leaveM1sLeasedSlotIdle() {
    coordinator.cap("bq", 10, tick());
    coordinator.start("m1", "load", tick());
    finish("m1");
    assertThat(runs()).containsExactly("m1");
    coordinator.admissionRequests.readValuesToList();
  }

  /** Plans a and b of component bq, capped at 4; plan a's missions a1 and a2 ran, their leased slots idle here. */
  private void leaveTwoSlotsOfPlanAIdle() {
    coordinator.apply(TestPlan.named("a").stage("load", "bq").build());
    coordinator.apply(TestPlan.named("b").stage("load", "bq").build());
    coordinator.cap("bq", 4, tick());
    coordinator.start("a1", "a", tick());
    coordinator.start("a2", "a", tick());
    finish("a1");
    finish("a2");
    assertThat(runs()).containsExactly("a1", "a2");
    coordinator.admissionRequests.readValuesToList();
  }
}
