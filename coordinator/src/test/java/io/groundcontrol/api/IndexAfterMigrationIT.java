package io.groundcontrol.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.groundcontrol.testing.GroundcontrolFixture;
import io.groundcontrol.testing.KafkaBrokerExtension;
import io.groundcontrol.worker.api.StageResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The mission index has no changelog. A partition that moves to another instance, where its
 * missions change, and then back must be listed as its missions now are, not as this instance's
 * index left them when the partition moved away.
 */
class IndexAfterMigrationIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  private static final Duration LONG = Duration.ofSeconds(90);
  private static final String GATE = """
      {"name": "gate", "stages": [{"name": "wait", "component": "gate"}]}""";
  private static final int MISSIONS = 24;

  private GroundcontrolFixture groundcontrol;
  private ApiInstance a;
  private ApiInstance b;

  @AfterEach
  void tearDown() {
    if (groundcontrol != null) {
      groundcontrol.close();
    }
    for (ApiInstance instance : new ApiInstance[] {b, a}) {
      if (instance != null) {
        instance.close();
      }
    }
  }

  @Test
  void aPartitionBackFromAnotherInstanceIsListedAsItsMissionsNowAre() {
    groundcontrol = new GroundcontrolFixture(KAFKA, "index-back");
    a = ApiInstance.start(groundcontrol.coordinatorConfig(), 4);
    TestKeys keys = TestKeys.create(groundcontrol);
    ApiInstance.awaitEverywhere(List.of(a), "/api/v1/missions", keys.viewer());
    CountDownLatch release = new CountDownLatch(1);
    groundcontrol.worker("gate", MISSIONS, ctx -> {
      release.await(LONG.toSeconds(), TimeUnit.SECONDS);
      return StageResult.finished();
    });
    ApiInstance.applyPlans(List.of(a), keys.admin(), List.of(GATE));
    List<String> missions = new ArrayList<>();
    for (int i = 0; i < MISSIONS; i++) {
      missions.add(Http.post(a.base() + "/api/v1/missions", keys.operator(), "{\"plan\": \"gate\", \"missionId\": \"g-" + i + "\"}")
          .expect(201).json().get("missionId").asText());
    }
    Http.poll(a.base() + "/api/v1/missions?plan=gate&status=RUNNING&limit=100", keys.viewer(),
        r -> r.status() == 200 && ids(r.json()).size() == MISSIONS, LONG);

    // Closed, it stays in the group until its session ends: 3 s here, the partitions' way back being what counts.
    b = ApiInstance.start(GroundcontrolFixture.failingOverQuickly(groundcontrol.coordinatorConfig()), 4);
    awaitActiveTasks(b.coordinator.streams());
    release.countDown();
    groundcontrol.awaitEnd(missions, LONG);
    b.close();
    b = null;

    JsonNode finished = Http.poll(a.base() + "/api/v1/missions?plan=gate&status=FINISHED&limit=100", keys.viewer(),
        r -> r.status() == 200 && ids(r.json()).size() == MISSIONS, LONG).json();
    assertThat(ids(finished)).containsExactlyInAnyOrderElementsOf(missions);
    JsonNode running = Http.get(a.base() + "/api/v1/missions?plan=gate&status=RUNNING&limit=100", keys.viewer())
        .expect(200).json();
    assertThat(ids(running)).isEmpty();
  }

  private static List<String> ids(JsonNode list) {
    return list.get("missions").findValuesAsText("missionId");
  }

  /** Waits until {@code streams} runs and has taken over at least one task from the first instance. */
  private static void awaitActiveTasks(KafkaStreams streams) {
    long deadline = System.nanoTime() + LONG.toNanos();
    while (!(streams.state() == KafkaStreams.State.RUNNING
        && streams.metadataForLocalThreads().stream().anyMatch(thread -> !thread.activeTasks().isEmpty()))) {
      assertThat(System.nanoTime()).as("the second instance running with tasks of its own").isLessThan(deadline);
      LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
    }
  }
}
