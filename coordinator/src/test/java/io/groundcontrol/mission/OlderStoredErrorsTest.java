package io.groundcontrol.mission;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.coordinator.MissionStateCodec;
import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.MissionFailed;
import io.groundcontrol.schema.MissionState;
import io.groundcontrol.schema.ReportFailed;
import io.groundcontrol.schema.StageError;
import io.groundcontrol.schema.StageReport;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A mission stored by a build that did not cut error texts still fails with a reason that fits a record. */
class OlderStoredErrorsTest {
  private final InMemoryPlans plans = new InMemoryPlans().apply(TestPlan.named("errs").stage("a", "w").stage("b", "w"));

  @Test
  void aFailureReasonCutsAStoredErrorMessageTheOlderBuildKeptWhole() {
    MissionHarness harness = new MissionHarness(plans);
    harness.start("m1", "errs").stage("m1", "a").failedForGood("short");
    MissionState stored = MissionStateCodec.toStored((Mission) harness.mission("m1"));
    stored.getStages().stream().filter(s -> s.getName().equals("a")).findFirst().orElseThrow()
        .setError(new StageError("upstream said: " + "E".repeat(300_000), null, false));
    Instant at = harness.now().plusSeconds(1);

    Decision decision = new MissionEngine(plans, MissionLimits.DEFAULTS, ComponentLookup.UNCAPPED).decide(
        MissionStateCodec.fromStored(stored),
        new StageReport("m1", "b", 1, new Actor(ActorKind.WORKER, "w-1", "h"), at,
            new ReportFailed(new StageError("boom", null, false))), at);

    MissionFailed failed = decision.events().stream().map(e -> e.getEvent()).filter(MissionFailed.class::isInstance)
        .map(MissionFailed.class::cast).findFirst().orElseThrow();
    assertThat(failed.getReason()).startsWith("stage 'a' failed on attempt 1: upstream said: EEE")
        .contains("; stage 'b' failed on attempt 1: boom").hasSizeLessThan(TextLimits.MAX_MESSAGE_BYTES + 200);
  }
}
