package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.mission.EventAppliers;
import io.groundcontrol.mission.Mission;
import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.StageAwaitingResult;
import io.groundcontrol.schema.StageStatus;
import io.groundcontrol.testing.GroundcontrolFixture;
import io.groundcontrol.testing.KafkaBrokerExtension;
import io.groundcontrol.worker.api.StageResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Data flow on a real broker: outputs reach downstream handlers as resolved params, and fresh
 * results are reused instead of recomputed, counted by what the workers really ran.
 */
class DataFlowIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private GroundcontrolFixture groundcontrol;

  @AfterEach
  void tearDown() {
    if (groundcontrol != null) {
      groundcontrol.close();
    }
  }

  @Test
  void handlersReceiveUpstreamOutputsAsResolvedParams() {
    groundcontrol = new GroundcontrolFixture(KAFKA, "outputs").startCoordinator().apply(TestPlan.named("flow")
        .stage("extract", "warehouse")
        .stage("features", "ml", Map.of("source", "\"${stages.extract.outputs.table}\""), "extract")
        .stage("publish", "ml", Map.of(
            "tables", "[\"${stages.extract.outputs.table}\", \"${stages.features.outputs.table}\"]",
            "rows", "\"${stages.extract.outputs.rows}\""), "features")
        .build());
    Map<String, Map<String, String>> seen = new ConcurrentHashMap<>();
    groundcontrol.worker("warehouse", 1, context ->
        StageResult.finished().stringOutput("table", "staging.events").output("rows", "1042"));
    groundcontrol.worker("ml", 1, context -> {
      seen.put(context.stage(), context.params());
      return StageResult.finished().stringOutput("table", "features." + context.missionId().replace('-', '_'));
    });

    groundcontrol.start("m-flow", "flow");
    List<MissionEvent> log = groundcontrol.awaitEnd(List.of("m-flow"), Duration.ofSeconds(60)).get("m-flow");

    Mission mission = new EventAppliers().replay(log);
    assertThat(mission.status()).isEqualTo(MissionStatus.FINISHED);
    assertThat(seen.get("features")).containsEntry("source", "\"staging.events\"");
    assertThat(seen.get("publish"))
        .containsEntry("tables", "[\"staging.events\",\"features.m_flow\"]")
        .containsEntry("rows", "1042");
  }

  private static TestPlan daily(String name, long maxAgeMs) {
    return TestPlan.named(name)
        .stage("extract", "warehouse", Map.of("source", "\"" + name + "\"")).reuse(maxAgeMs)
        .stage("train", "ml", Map.of("table", "\"${stages.extract.outputs.table}\""), "extract");
  }

  private Map<String, AtomicInteger> countingWorkers(CountDownLatch extractMayFinish) {
    Map<String, AtomicInteger> ran = new ConcurrentHashMap<>();
    groundcontrol.worker("warehouse", 2, context -> {
      ran.computeIfAbsent(context.stage(), k -> new AtomicInteger()).incrementAndGet();
      extractMayFinish.await();
      return StageResult.finished().stringOutput("table", "staging." + context.missionId().replace('-', '_'));
    });
    groundcontrol.worker("ml", 2, context -> {
      ran.computeIfAbsent(context.stage(), k -> new AtomicInteger()).incrementAndGet();
      return StageResult.finished();
    });
    return ran;
  }

  private static int count(Map<String, AtomicInteger> ran, String stage) {
    return ran.getOrDefault(stage, new AtomicInteger()).get();
  }

  @Test
  void aSecondMissionWithinMaxAgeRunsNoWorkerForTheReusedStage() {
    groundcontrol = new GroundcontrolFixture(KAFKA, "reuse").startCoordinator()
        .apply(daily("daily", Duration.ofHours(1).toMillis()).build())
        .apply(daily("instant", 1).build());
    Map<String, AtomicInteger> ran = countingWorkers(new CountDownLatch(0));

    groundcontrol.start("m-1", "daily");
    groundcontrol.awaitEnd(List.of("m-1"), Duration.ofSeconds(60));
    groundcontrol.start("m-2", "daily");
    List<MissionEvent> second = groundcontrol.awaitEnd(List.of("m-2"), Duration.ofSeconds(60)).get("m-2");

    assertThat(count(ran, "extract")).as("extract ran for m-1 only").isEqualTo(1);
    assertThat(count(ran, "train")).isEqualTo(2);
    Mission m2 = new EventAppliers().replay(second);
    assertThat(m2.status()).isEqualTo(MissionStatus.FINISHED);
    assertThat(m2.stage("extract").orElseThrow().status()).isEqualTo(StageStatus.REUSED);
    assertThat(m2.stage("extract").orElseThrow().outputs()).containsEntry("table", "\"staging.m_1\"");

    groundcontrol.start("m-3", "instant");
    groundcontrol.awaitEnd(List.of("m-3"), Duration.ofSeconds(60));
    groundcontrol.start("m-4", "instant");
    List<MissionEvent> fourth = groundcontrol.awaitEnd(List.of("m-4"), Duration.ofSeconds(60)).get("m-4");

    assertThat(count(ran, "extract")).as("a result older than max_age (1 ms) is recomputed").isEqualTo(3);
    assertThat(new EventAppliers().replay(fourth).stage("extract").orElseThrow().status())
        .isEqualTo(StageStatus.FINISHED);
  }

  @Test
  void twoIdenticalStagesStartedTogetherRunOnce() throws Exception {
    groundcontrol = new GroundcontrolFixture(KAFKA, "reuse-together").startCoordinator()
        .apply(daily("daily", Duration.ofHours(1).toMillis()).build());
    CountDownLatch extractMayFinish = new CountDownLatch(1);
    Map<String, AtomicInteger> ran = countingWorkers(extractMayFinish);

    groundcontrol.start("m-a", "daily");
    groundcontrol.start("m-b", "daily");
    groundcontrol.awaitEventCount(StageAwaitingResult.class, 1, Duration.ofSeconds(60));
    extractMayFinish.countDown();
    Map<String, List<MissionEvent>> log = groundcontrol.awaitEnd(List.of("m-a", "m-b"), Duration.ofSeconds(60));

    assertThat(count(ran, "extract")).isEqualTo(1);
    assertThat(count(ran, "train")).isEqualTo(2);
    List<StageStatus> extracts = List.of("m-a", "m-b").stream()
        .map(id -> new EventAppliers().replay(log.get(id)).stage("extract").orElseThrow().status()).toList();
    assertThat(extracts).containsExactlyInAnyOrder(StageStatus.FINISHED, StageStatus.REUSED);
  }
}
