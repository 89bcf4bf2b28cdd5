package io.groundcontrol.coordinator;

import static io.groundcontrol.coordinator.CoordinatorDriver.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.AdmissionRequest;
import io.groundcontrol.schema.CancelMission;
import io.groundcontrol.schema.InstructionKind;
import io.groundcontrol.schema.MissionAdmission;
import io.groundcontrol.schema.MissionAdmissionRequest;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.ReportFailed;
import io.groundcontrol.schema.ReportFinished;
import io.groundcontrol.schema.RequestSlot;
import io.groundcontrol.schema.RetryStage;
import io.groundcontrol.schema.SlotGrant;
import io.groundcontrol.schema.StageError;
import io.groundcontrol.schema.StageInstruction;
import io.groundcontrol.schema.wire.AvroSerde;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reductions of what {@link AdmissionFuzzTest} found: internal records read twice, as --at-least-once may. */
class AdmissionFuzzFindingsTest {
  @TempDir Path stateDir;
  private CoordinatorDriver c;
  private TestOutputTopic<String, StageInstruction> gpu;
  private TestOutputTopic<String, SlotGrant> grantsOut;
  private TestInputTopic<String, SlotGrant> grantsIn;
  private TestOutputTopic<String, MissionAdmissionRequest> asksOut;
  private TestInputTopic<String, MissionAdmissionRequest> asksIn;
  private TestOutputTopic<String, MissionAdmission> answersOut;
  private TestInputTopic<String, MissionAdmission> answersIn;

  @BeforeEach
  void setUp() {
    c = new CoordinatorDriver(stateDir);
    gpu = c.instructions("gpu");
    var names = c.topics.names();
    grantsOut = c.driver.createOutputTopic(names.admissionGrants(), new StringDeserializer(),
        AvroSerde.of(SlotGrant.class).deserializer());
    grantsIn = c.driver.createInputTopic(names.admissionGrants(), new StringSerializer(),
        AvroSerde.of(SlotGrant.class).serializer());
    asksOut = c.driver.createOutputTopic(names.missionAdmissionRequests(), new StringDeserializer(),
        AvroSerde.of(MissionAdmissionRequest.class).deserializer());
    asksIn = c.driver.createInputTopic(names.missionAdmissionRequests(), new StringSerializer(),
        AvroSerde.of(MissionAdmissionRequest.class).serializer());
    answersOut = c.driver.createOutputTopic(names.missionAdmissions(), new StringDeserializer(),
        AvroSerde.of(MissionAdmission.class).deserializer());
    answersIn = c.driver.createInputTopic(names.missionAdmissions(), new StringSerializer(),
        AvroSerde.of(MissionAdmission.class).serializer());
  }

  @AfterEach
  void tearDown() {
    c.close();
  }

  private List<String> runs() {
    return gpu.readValuesToList().stream().filter(i -> i.getKind() == InstructionKind.RUN)
        .map(i -> i.getMissionId() + "/" + i.getStage() + "/" + i.getAttempt()).toList();
  }

  /**
   * Fuzz seed 3 (before 6f817bc). A leased grant for attempt 1 read again once attempt 2 runs on the
   * same slot (handed on from the idle pool): the mission releases "m1/s/1", a slot kept here under
   * that name, so the release must not reach the admission, which would free the slot attempt 2
   * still runs on and let two more attempts run under a cap of 2.
   */
  @Test
  void aLeasedGrantReadAgainAfterTheSlotWasHandedOnDoesNotFreeTheSlot() {
    c.apply(TestPlan.named("one").stage("s", "gpu").retry(2, 100).build());
    c.cap("gpu", 2, T0);
    c.start("m1", "one", T0.plusMillis(1));
    assertThat(runs()).containsExactly("m1/s/1");
    SlotGrant leased = grantsOut.readValuesToList().get(0);
    assertThat(leased.getLease()).isTrue();
    c.report("m1", "s", 1, new ReportFailed(new StageError("boom", null, true)), T0.plusMillis(2));
    c.advanceWallClock(Duration.ofMillis(250)); // the retry takes the idle slot
    assertThat(runs()).containsExactly("m1/s/2");

    grantsIn.pipeInput("m1", leased, T0.plusMillis(300));

    c.apply(TestPlan.named("two").stage("s", "gpu").build());
    c.start("m2", "two", T0.plusMillis(301));
    c.start("m3", "two", T0.plusMillis(302));
    assertThat(runs()).as("m1/s/2 still runs: cap 2 leaves room for one more").containsExactly("m2/s/1");
  }

  /**
   * Fuzz seed 7. A mission's ask read again by mission-limits after the mission ended takes a place
   * for it (the Dispatcher keeps nothing of released missions); the mission, which has ended, must
   * hand the admission back, or the place is never given back and every later mission of the plan
   * waits for ever.
   */
  @Test
  void anAskReadAgainAfterItsMissionEndedDoesNotTakeAPlaceForEver() {
    c.apply(TestPlan.named("lim").stage("s", "gpu").maxActiveMissions(1).build());
    c.start("m1", "lim", T0.plusMillis(1));
    MissionAdmissionRequest ask = asksOut.readValuesToList().get(0);
    c.report("m1", "s", 1, new ReportFinished(Map.of()), T0.plusMillis(2));
    assertThat(c.stored("m1").getStatus()).isEqualTo(MissionStatus.FINISHED);

    asksIn.pipeInput(ask.getPlanName(), ask, T0.plusMillis(3));
    c.start("m2", "lim", T0.plusMillis(4));
    c.advanceWallClock(Duration.ofSeconds(5));

    assertThat(c.stored("m2").getStatus()).as("no mission of plan lim is active").isEqualTo(MissionStatus.RUNNING);
  }

  /**
   * Fuzz seed 3 (3 of 2). An admitted answer read again after its mission failed and was retried,
   * so waits again: it answers the mission's first ask, not the one it waits on, so the mission
   * keeps waiting behind the mission holding the one place.
   */
  @Test
  void anAdmittedAnswerReadAgainDoesNotAdmitAMissionThatWaitsAgain() {
    c.apply(TestPlan.named("lim").stage("s", "gpu").maxActiveMissions(1).build());
    c.start("m1", "lim", T0.plusMillis(1));
    MissionAdmission admitted = answersOut.readValuesToList().get(0);
    assertThat(admitted.getAdmitted()).isTrue();
    c.report("m1", "s", 1, new ReportFailed(new StageError("bad", null, false)), T0.plusMillis(2));
    assertThat(c.stored("m1").getStatus()).isEqualTo(MissionStatus.FAILED);
    c.start("m2", "lim", T0.plusMillis(3));
    c.command("m1", new RetryStage("s", false), T0.plusMillis(4));
    assertThat(c.stored("m1").getStatus()).isEqualTo(MissionStatus.WAITING);

    answersIn.pipeInput("m1", admitted, T0.plusMillis(5));

    assertThat(c.stored("m2").getStatus()).isEqualTo(MissionStatus.RUNNING);
    assertThat(c.stored("m1").getStatus()).as("m2 holds the one place").isEqualTo(MissionStatus.WAITING);
  }

  /**
   * A slot request read again after its mission was cancelled, which released the slot: the
   * admission grants it anew, and the mission, whose cancelled stages keep their status (still
   * DISPATCHED), took the grant for one its attempt already held, so the slot stayed taken for ever.
   */
  @Test
  void aRequestReadAgainAfterItsMissionWasCancelledDoesNotTakeTheSlotForEver() {
    c.apply(TestPlan.named("one").stage("s", "gpu").build());
    c.cap("gpu", 1, T0);
    c.start("m1", "one", T0.plusMillis(1));
    assertThat(runs()).containsExactly("m1/s/1");
    AdmissionRequest request = c.admissionRequests.readValuesToList().get(0);
    assertThat(request.getAction()).isInstanceOf(RequestSlot.class);
    c.command("m1", new CancelMission("enough"), T0.plusMillis(2));

    c.admissionRequestsIn.pipeInput(request.getComponent(), request, T0.plusMillis(3));

    c.start("m2", "one", T0.plusMillis(4));
    assertThat(runs()).as("the RUN sent with the new grant, then m2 on the slot handed back")
        .containsExactly("m1/s/1", "m2/s/1");
  }

  /**
   * Fuzz seed 8. A leased grant read again after its mission was cancelled, while the slot waits
   * idle: the grant made the ended attempt its holder again, so the slot neither went back when
   * idle nor ever after.
   */
  @Test
  void aLeasedGrantReadAgainAfterItsMissionWasCancelledLeavesTheSlotIdle() {
    c.apply(TestPlan.named("one").stage("s", "gpu").build());
    c.cap("gpu", 2, T0);
    c.start("m1", "one", T0.plusMillis(1));
    SlotGrant leased = grantsOut.readValuesToList().get(0);
    assertThat(leased.getLease()).isTrue();
    c.command("m1", new CancelMission("enough"), T0.plusMillis(2));

    grantsIn.pipeInput("m1", leased, T0.plusMillis(3));
    c.advanceWallClock(Duration.ofSeconds(1)); // the idle slot goes back

    assertThat(c.storeKeys(CoordinatorTopology.SLOT_LEASE_STORE)).isEmpty();
    c.apply(TestPlan.named("two").stage("s", "gpu").build());
    c.start("m2", "two", T0.plusMillis(1004));
    c.start("m3", "two", T0.plusMillis(1005));
    assertThat(runs()).contains("m2/s/1", "m3/s/1");
  }
}
