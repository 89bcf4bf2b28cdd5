package io.groundcontrol.mission;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.coordinator.MissionStateCodec;
import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.MissionCommand;
import io.groundcontrol.schema.ReportFinished;
import io.groundcontrol.schema.StageReport;
import io.groundcontrol.schema.StartMission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A mission of 10,000 chunks loaded from a store: a chunk's transition reads and writes the chunk,
 * its stage's counters and the chunk it makes place for, never the list of chunks.
 */
class StoredFanOutTest {
  private static final int CHUNKS = 10_000;
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  private static final Actor WORKER = new Actor(ActorKind.WORKER, "w-1", "h1");

  private final InMemoryPlans plans = new InMemoryPlans().apply(TestPlan.named("fan")
      .param("ids", IntStream.range(0, CHUNKS).mapToObj(Integer::toString).collect(Collectors.joining(",", "[", "]")))
      .stage("score", "ml", Map.of("ids", "\"${chunk.items}\""))
      .foreach("${params.ids}", 1, 20)
      .stage("publish", "sql", "score"));
  private final MissionEngine engine = new MissionEngine(plans);
  private Mission started;

  @BeforeEach
  void fanOut() {
    Decision decision = engine.decide(null, new MissionCommand("m1", new Actor(ActorKind.USER, "ann", null), T0,
        new StartMission("fan", Map.of(), List.of(), List.of(), false, 0)), T0);
    started = decision.mission().orElseThrow();
    assertThat(started.changedStages()).as("the fan-out writes each chunk once").hasSize(CHUNKS + 2);
    assertThat(decision.instructions()).hasSize(20);
  }

  private Counting stored(Mission whole) {
    return new Counting(whole.stages());
  }

  private Mission load(Counting stages) {
    return Mission.load(started.missionId(), started.planName(), started.planVersion(), started.status(),
        started.params(), started.sequence(), started.startedAt(), started.updatedAt(), null, started.stageCounts(),
        stages);
  }

  @Test
  void aFinishedChunkTouchesItselfItsStageAndTheNextChunkOnly() {
    Counting stages = stored(started);
    Mission mission = load(stages);

    Decision decision = engine.decide(mission, finished("score[3]"), T0.plusSeconds(1));

    assertThat(decision.events()).extracting(e -> e.getEvent().getClass().getSimpleName())
        .containsExactly("StageFinished", "StageDispatched");
    assertThat(decision.instructions()).extracting(i -> i.getStage()).containsExactly("score[20]");
    assertThat(stages.loadedAll).isZero();
    assertThat(stages.loaded).containsOnly("score[3]", "score", "publish", "score[20]");
    assertThat(mission.changedStages()).extracting(Stage::name).containsExactlyInAnyOrder("score[3]", "score", "score[20]");
    assertThat(MissionStateCodec.toStored(mission.stage("score").map(Stage.class::cast).orElseThrow()).getFanOut().getDone())
        .isEqualTo(1);
  }

  @Test
  void cancelStopsEveryChunkOutInOneScanOfTheMission() {
    Counting stages = stored(started);
    Mission mission = load(stages);

    Decision decision = engine.decide(mission, new MissionCommand("m1", new Actor(ActorKind.USER, "ann", null),
        T0.plusSeconds(1), new io.groundcontrol.schema.CancelMission("enough")), T0.plusSeconds(1));

    assertThat(decision.instructions()).hasSize(20)
        .allSatisfy(i -> assertThat(i.getKind()).isEqualTo(io.groundcontrol.schema.InstructionKind.CANCEL));
    assertThat(decision.instructions()).extracting(i -> i.getStage()).containsExactlyInAnyOrderElementsOf(
        IntStream.range(0, 20).mapToObj(k -> "score[" + k + "]").toList());
    // As for any mission: cancelling reads the mission's entries once, by one prefix scan.
    assertThat(stages.loadedAll).isEqualTo(1);
  }

  private static StageReport finished(String stage) {
    return new StageReport("m1", stage, 1, WORKER, T0, new ReportFinished(Map.of()));
  }

  /** Stages as a store holds them, each read a copy, counting what the mission asks for. */
  private static final class Counting implements StageSource {
    private final Map<String, io.groundcontrol.schema.StoredStage> byName = new LinkedHashMap<>();
    final List<String> loaded = new ArrayList<>();
    int loadedAll;

    Counting(Iterable<Stage> stages) {
      stages.forEach(stage -> byName.put(stage.name(), MissionStateCodec.toStored(stage)));
    }

    @Override
    public Stage load(String name) {
      loaded.add(name);
      io.groundcontrol.schema.StoredStage stage = byName.get(name);
      return stage == null ? null : MissionStateCodec.fromStored(stage);
    }

    @Override
    public List<Stage> loadAll() {
      loadedAll++;
      return byName.values().stream().map(MissionStateCodec::fromStored).toList();
    }
  }
}
