package io.groundcontrol.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.coordinator.CoordinatorTopology;
import io.groundcontrol.testing.GroundcontrolFixture;
import io.groundcontrol.testing.KafkaBrokerExtension;
import io.groundcontrol.testing.Poll;
import io.groundcontrol.worker.api.StageResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two coordinator instances, one stopped while stages of missions it owns run: the survivor takes
 * those missions over, and its metrics, counted from the event log for the missions it owns, time
 * their attempts too, though their dispatch came while the other instance owned them.
 */
class MetricsAfterMoveIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  private static final Duration LONG = Duration.ofSeconds(90);
  private static final int MISSIONS = 8;
  private static final String HOLD = """
      {"name": "hold", "stages": [{"name": "wait", "component": "slow"}]}""";
  private static final String FINISHED_SLOW = "component=\"slow\",outcome=\"finished\"";

  private GroundcontrolFixture groundcontrol;
  private ApiInstance survivor;
  private ApiInstance leaving;

  @AfterEach
  void tearDown() {
    if (groundcontrol != null) {
      groundcontrol.close();
    }
    for (ApiInstance instance : new ApiInstance[] {leaving, survivor}) {
      if (instance != null) {
        instance.close();
      }
    }
  }

  @Test
  void attemptsOfMissionsThatMovedAreTimedByTheirNewOwner() {
    groundcontrol = new GroundcontrolFixture(KAFKA, "metrics-move");
    survivor = ApiInstance.start(groundcontrol.coordinatorConfig(), 2);
    // Closed, it stays in the group until its session ends: 3 s here, the survivor's takeover being what counts.
    leaving = ApiInstance.start(GroundcontrolFixture.failingOverQuickly(groundcontrol.coordinatorConfig()), 2);
    String key = TestKeys.create(groundcontrol).admin();
    ApiInstance.awaitEverywhere(List.of(survivor, leaving), "/api/v1/missions", key);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger running = new AtomicInteger();
    groundcontrol.worker("slow", MISSIONS, ctx -> {
      running.incrementAndGet();
      release.await(120, TimeUnit.SECONDS);
      return StageResult.finished();
    });
    ApiInstance.applyPlans(List.of(survivor, leaving), key, List.of(HOLD));

    List<String> missions = new ArrayList<>();
    int ownedByLeaving = 0;
    for (int i = 0; i < MISSIONS; i++) {
      String id = "moved-" + i;
      missions.add(Http.post((i % 2 == 0 ? survivor : leaving).base() + "/api/v1/missions", key,
          "{\"plan\": \"hold\", \"missionId\": \"" + id + "\"}").expect(201).json().get("missionId").asText());
      KeyQueryMetadata owner = leaving.coordinator.streams().queryMetadataForKey(
          CoordinatorTopology.MISSION_STORE, id, Serdes.String().serializer());
      if (owner.activeHost().port() == leaving.api.advertised().port()) {
        ownedByLeaving++;
      }
    }
    assertThat(ownedByLeaving).as("missions owned by the instance that leaves").isBetween(1, MISSIONS - 1);
    Poll.until(() -> running.get() == MISSIONS, LONG, "every stage running");

    leaving.close();
    leaving = null;
    release.countDown();
    for (String id : missions) {
      Http.poll(survivor.base() + "/api/v1/missions/" + id, key,
          r -> r.status() == 200 && r.json().get("status").asText().equals("FINISHED"), LONG);
    }

    Poll.until(() -> value(survivor, key, "groundcontrol_missions_finished_total", "") == MISSIONS, LONG,
        "the survivor to count every mission finished");
    assertThat(value(survivor, key, "groundcontrol_stage_duration_seconds_count", FINISHED_SLOW))
        .as("attempts timed by the survivor, which owned every mission when its attempt finished")
        .isEqualTo(MISSIONS);
  }

  private static double value(ApiInstance instance, String key, String name, String labels) {
    return ComponentsAndSchedulesIT.value(
        Http.get(instance.base() + "/metrics", key).expect(200).body(), name, labels);
  }
}
