package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.InputRejected;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionFailed;
import io.groundcontrol.schema.MissionFinished;
import io.groundcontrol.testing.GroundcontrolFixture;
import io.groundcontrol.testing.KafkaBrokerExtension;
import io.groundcontrol.worker.api.StageResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Missions whose inputs each fit their limits but together would make a record Kafka refuses end
 * clearly, and a mission started after them runs: before the bounds, each stopped the stream
 * thread in a loop, and every mission on it with it.
 */
class OversizeRecordIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  private GroundcontrolFixture groundcontrol;

  @AfterEach
  void tearDown() {
    if (groundcontrol != null) {
      groundcontrol.close();
    }
  }

  @Test
  void missionsTooLargeForOneRecordEndClearlyAndLaterMissionsRun() {
    groundcontrol = new GroundcontrolFixture(KAFKA, "oversize").startCoordinator();
    TestPlan sixteen = TestPlan.named("sixteen");
    for (int i = 0; i < 16; i++) {
      sixteen.stage("s" + i, "w");
    }
    groundcontrol.apply(sixteen.build());
    groundcontrol.apply(TestPlan.named("errs").stage("a", "e").stage("b", "e").build());
    groundcontrol.apply(TestPlan.named("big").param("blob", null).stage("a", "w").build());
    groundcontrol.apply(TestPlan.named("small").stage("a", "w").build());
    // 65,534 bytes each: within the default 64 KiB.
    groundcontrol.worker("w", 16, context -> StageResult.finished().output("o", "\"" + "x".repeat(65_531) + "\""));
    // An HTTP client quoting an error page: 300 KB a message, which the SDK cuts to 8 KiB (the
    // coordinator's own cut, for workers without the SDK, is RecordSizeTopologyTest's).
    groundcontrol.worker("e", 2, context -> {
      throw new IllegalStateException("upstream said: " + "E".repeat(300_000));
    });

    groundcontrol.commands().start("m-big", "big", Map.of("blob", "\"" + "x".repeat(1_000_000) + "\""), List.of());
    groundcontrol.start("m-errs", "errs");
    groundcontrol.start("m-16", "sixteen");
    Map<String, List<MissionEvent>> ended = groundcontrol.awaitEnd(List.of("m-big", "m-errs", "m-16"),
        Duration.ofSeconds(60));
    groundcontrol.start("m-after", "small");
    groundcontrol.awaitEvent("m-after", MissionFinished.class, Duration.ofSeconds(20));

    assertThat(last(ended, "m-big")).isInstanceOfSatisfying(InputRejected.class, r -> assertThat(r.getReason())
        .startsWith("Expected params of at most 262144 bytes, but they take 1000006"));
    assertThat(last(ended, "m-errs")).isInstanceOfSatisfying(MissionFailed.class, f -> assertThat(f.getReason())
        .startsWith("stage 'a' failed on attempt ").contains("upstream said: EEE").contains(" bytes cut ...]")
        .contains("; stage 'b' failed").hasSizeLessThan(20_000));
    assertThat(last(ended, "m-16")).isInstanceOf(MissionFinished.class);
  }

  private static Object last(Map<String, List<MissionEvent>> events, String missionId) {
    List<MissionEvent> mission = events.get(missionId);
    return mission.get(mission.size() - 1).getEvent();
  }
}
