package io.groundcontrol.mission;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.MissionCommand;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.ReportFinished;
import io.groundcontrol.schema.StageReport;
import io.groundcontrol.schema.StageStatus;
import io.groundcontrol.schema.StartMission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A mission loaded from a store reads only the stages a decision touches and reports only the
 * stages it changed: what keeps a transition's cost independent of the plan's size.
 */
class StoredMissionTest {
  private static final int STAGES = 1_000;
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  private static final Actor WORKER = new Actor(ActorKind.WORKER, "w-1", "h1");

  private final InMemoryPlans plans = new InMemoryPlans();
  private final MissionEngine engine = new MissionEngine(plans);
  private CountingStages stored;
  private Mission mission;

  @BeforeEach
  void startALongLinearMission() {
    TestPlan plan = TestPlan.named("long").stage("s0", "sql");
    for (int i = 1; i < STAGES - 1; i++) {
      plan.stage("s" + i, "sql", "s" + (i - 1));
    }
    plan.stage("s" + (STAGES - 1), "sql", Map.of("table", "\"${stages.s0.outputs.table}\""), "s" + (STAGES - 2));
    plans.apply(plan);
    Decision started = engine.decide(null, new MissionCommand("m1", new Actor(ActorKind.USER, "ann", null), T0,
        new StartMission("long", Map.of(), List.of(), List.of(), false, 0)), T0);
    Mission whole = started.mission().orElseThrow();
    assertThat(whole.changedStages()).as("a new mission writes every stage").hasSize(STAGES);

    stored = new CountingStages(whole.stages());
    mission = Mission.load(whole.missionId(), whole.planName(), whole.planVersion(), whole.status(), whole.params(),
        whole.sequence(), whole.startedAt(), whole.updatedAt(), null, whole.stageCounts(), stored);
  }

  @Test
  void aNewMissionsStagesAreAsStartedButTheOnesItsStartDispatched() {
    Decision started = engine.decide(null, new MissionCommand("m2", new Actor(ActorKind.USER, "ann", null), T0,
        new StartMission("long", Map.of(), List.of(), List.of(), false, 0)), T0);
    Mission fresh = started.mission().orElseThrow();

    assertThat(fresh.changedStages()).filteredOn(stage -> !stage.isAsStarted(fresh.startedAt()))
        .extracting(Stage::name).containsExactly("s0");
    assertThat(Stage.asStarted("s5", T0).isAsStarted(T0)).isTrue();
    assertThat(Stage.asStarted("s5", T0).isAsStarted(T0.plusMillis(1))).as("waiting since later").isFalse();

    Decision finished = engine.decide(fresh, finished("s0"), T0.plusSeconds(1));
    assertThat(finished.mission().orElseThrow().stage("s1").map(s -> ((Stage) s).isAsStarted(T0))).contains(false);
  }

  @Test
  void aStartedMissionOnceSavedReportsOnlyWhatChangesNext() {
    Mission fresh = engine.decide(null, new MissionCommand("m1", new Actor(ActorKind.USER, "ann", null), T0,
        new StartMission("long", Map.of(), List.of(), List.of(), false, 0)), T0).mission().orElseThrow();
    assertThat(fresh.changed("s500")).as("a start changes every stage").isTrue();

    fresh.forgetChanges();
    assertThat(fresh.changed("s500")).isFalse();
    assertThat(fresh.changedStages()).isEmpty();
    engine.decide(fresh, finished("s0"), T0.plusSeconds(1));

    assertThat(fresh.changedStages()).extracting(Stage::name).containsExactly("s0", "s1");
    assertThat(fresh.changed("s500")).isFalse();
  }

  @Test
  void aFinishedStageReadsItselfAndItsDownstreamOnly() {
    Decision decision = engine.decide(mission, finished("s0"), T0.plusSeconds(1));

    assertThat(decision.events()).extracting(e -> e.getEvent().getClass().getSimpleName())
        .containsExactly("StageFinished", "StageDispatched");
    assertThat(stored.loaded).containsExactly("s0", "s1");
    assertThat(stored.loadedAll).isZero();
    assertThat(mission.changedStages()).extracting(Stage::name).containsExactly("s0", "s1");
    assertThat(mission.countOf(StageStatus.FINISHED)).isEqualTo(1);
    assertThat(mission.countOf(StageStatus.DISPATCHED)).isEqualTo(1);
    assertThat(mission.countOf(StageStatus.WAITING)).isEqualTo(STAGES - 2);
  }

  @Test
  void theLastStageEndsTheMissionFromTheCountsAlone() {
    Map<StageStatus, Integer> counts = Map.of(StageStatus.FINISHED, STAGES - 1, StageStatus.DISPATCHED, 1);
    Map<String, Stage> stages = new LinkedHashMap<>();
    String last = "s" + (STAGES - 1);
    stages.put(last, Stage.restore(last, StageStatus.DISPATCHED, 1, null, Map.of(), null, T0));
    CountingStages lastOnly = new CountingStages(stages.values());
    Mission nearlyDone = Mission.load("m1", "long", mission.planVersion(), MissionStatus.RUNNING, Map.of(),
        mission.sequence(), T0, T0, null, counts, lastOnly);

    Decision decision = engine.decide(nearlyDone, finished(last), T0.plusSeconds(1));

    assertThat(decision.events()).extracting(e -> e.getEvent().getClass().getSimpleName())
        .containsExactly("StageFinished", "MissionFinished");
    assertThat(lastOnly.loaded).containsExactly(last);
    assertThat(lastOnly.loadedAll).isZero();
  }

  @Test
  void aDispatchReadsOnlyTheUpstreamStagesItsParamsReference() {
    String last = "s" + (STAGES - 1);
    String beforeLast = "s" + (STAGES - 2);
    Map<String, Stage> stages = new LinkedHashMap<>();
    stages.put("s0", Stage.restore("s0", StageStatus.FINISHED, 1, "w-1", Map.of("table", "\"t0\""), null, T0));
    stages.put(beforeLast, Stage.restore(beforeLast, StageStatus.DISPATCHED, 1, null, Map.of(), null, T0));
    stages.put(last, Stage.restore(last, StageStatus.WAITING, 0, null, Map.of(), null, T0));
    CountingStages few = new CountingStages(stages.values());
    Mission nearlyDone = Mission.load("m1", "long", mission.planVersion(), MissionStatus.RUNNING, Map.of(),
        mission.sequence(), T0, T0, null,
        Map.of(StageStatus.FINISHED, STAGES - 2, StageStatus.DISPATCHED, 1, StageStatus.WAITING, 1), few);

    Decision decision = engine.decide(nearlyDone, finished(beforeLast), T0.plusSeconds(1));

    assertThat(decision.events()).extracting(e -> e.getEvent().getClass().getSimpleName())
        .containsExactly("StageFinished", "StageDispatched");
    assertThat(((io.groundcontrol.schema.StageDispatched) decision.events().get(1).getEvent()).getParams())
        .containsEntry("table", "\"t0\"");
    assertThat(few.loaded).containsExactly(beforeLast, last, "s0");
    assertThat(few.loadedAll).isZero();
  }

  @Test
  void cancellingReadsEveryStageOnceToFindTheActiveOnes() {
    engine.decide(mission, finished("s0"), T0.plusSeconds(1));

    assertThat(mission.stages()).hasSize(STAGES);
    assertThat(mission.stages()).filteredOn(Stage::isActive).extracting(Stage::name).containsExactly("s1");
    assertThat(stored.loadedAll).isEqualTo(1);
  }

  @Test
  void aWideJoinReadsStagesInProportionToItsWidthNotToItsSquare() {
    int width = 500;
    TestPlan plan = TestPlan.named("wide").stage("root", "sql");
    String[] middle = new String[width];
    for (int i = 0; i < width; i++) {
      middle[i] = "m" + i;
      plan.stage(middle[i], "sql", "root");
    }
    plans.apply(plan.stage("sink", "sql", middle));
    Mission whole = engine.decide(null, new MissionCommand("w1", new Actor(ActorKind.USER, "ann", null), T0,
        new StartMission("wide", Map.of(), List.of(), List.of(), false, 0)), T0).mission().orElseThrow();
    CountingStages store = new CountingStages(whole.stages());
    Mission current = whole;
    List<String> completions = new ArrayList<>(List.of(middle));
    completions.add(0, "root");
    completions.add("sink");
    for (String stage : completions) {
      Mission loaded = Mission.load("w1", "wide", current.planVersion(), current.status(), Map.of(), current.sequence(),
          T0, T0, null, current.stageCounts(), store);
      Decision decision = engine.decide(loaded, new StageReport("w1", stage, 1, WORKER, T0, new ReportFinished(Map.of())),
          T0.plusSeconds(1));
      assertThat(decision.events()).as("finishing %s", stage).isNotEmpty();
      current = decision.mission().orElseThrow();
      current.changedStages().forEach(store::save);
    }

    assertThat(current.status()).isEqualTo(MissionStatus.FINISHED);
    // The root's completion reads the stages it dispatches, each middle one itself and the join, and
    // the last one every upstream of the join: about 4 reads a stage (91,784 when every completion
    // read the join's finished upstream stages again).
    assertThat(store.loaded).as("stage reads over the mission's %d completions", width + 2)
        .hasSizeLessThan(5 * width);
  }

  private static StageReport finished(String stage) {
    return new StageReport("m1", stage, 1, WORKER, T0, new ReportFinished(Map.of()));
  }

  /** Stages as a store holds them, counting what the mission asks for. */
  private static final class CountingStages implements StageSource {
    private final Map<String, Stage> byName = new LinkedHashMap<>();
    final List<String> loaded = new ArrayList<>();
    int loadedAll;

    CountingStages(Iterable<Stage> stages) {
      stages.forEach(this::save);
    }

    @Override
    public Stage load(String name) {
      loaded.add(name);
      return byName.get(name);
    }

    /** Stores a changed stage as a store write would, a copy the next load reads. */
    void save(Stage stage) {
      byName.put(stage.name(), Stage.restore(stage.name(), stage.status(), stage.attempt(),
          stage.worker().orElse(null), stage.outputs(), stage.error().orElse(null), stage.updatedAt()));
    }

    @Override
    public List<Stage> loadAll() {
      loadedAll++;
      return List.copyOf(byName.values());
    }
  }
}
