package io.groundcontrol.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.coordinator.MissionStateCodec;
import io.groundcontrol.mission.EventAppliers;
import io.groundcontrol.mission.InMemoryPlans;
import io.groundcontrol.mission.MissionHarness;
import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.MissionState;
import io.groundcontrol.schema.StageError;
import io.groundcontrol.schema.StageStatus;
import io.groundcontrol.schema.StoredStage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class StateVerifierTest {
  private final MissionHarness harness = new MissionHarness(new InMemoryPlans().apply(TestPlan.diamond()));

  /** Two missions as the log rebuilds them: m-1 failed in 'features', m-2 still running. */
  private Map<String, MissionState> fromLog() {
    harness.start("m-1", "diamond").stage("m-1", "extract").runs();
    harness.stage("m-1", "clean").runs();
    harness.stage("m-1", "features").started().stage("m-1", "features").failed("feature store unreachable");
    harness.start("m-2", "diamond").stage("m-2", "extract").started();
    Map<String, MissionState> log = new LinkedHashMap<>();
    for (String id : List.of("m-1", "m-2")) {
      log.put(id, MissionStateCodec.toStored(new EventAppliers().replay(harness.log(id))));
    }
    return log;
  }

  @Test
  void aStoreThatMatchesTheLogHasNoDifferences() {
    Map<String, MissionState> log = fromLog();

    assertThat(StateVerifier.compare(log, new LinkedHashMap<>(log))).isEmpty();
  }

  @Test
  void anAlteredStageStatusIsReportedWithBothValues() {
    Map<String, MissionState> log = fromLog();
    Map<String, MissionState> store = new LinkedHashMap<>(log);
    store.put("m-1", withStage(log.get("m-1"), "clean", s -> StoredStage.newBuilder(s).setStatus(StageStatus.RUNNING).build()));

    assertThat(StateVerifier.compare(log, store)).extracting(Difference::describe)
        .containsExactly("mission m-1: stage 'clean' status: log says FINISHED, store says RUNNING");
  }

  @Test
  void nestedAndTopLevelFieldsAreNamedByTheirPath() {
    Map<String, MissionState> log = fromLog();
    MissionState altered = MissionState.newBuilder(withStage(log.get("m-1"), "features",
            s -> StoredStage.newBuilder(s).setError(StageError.newBuilder(s.getError()).setMessage("disk full").build()).build()))
        .setSequence(log.get("m-1").getSequence() - 1)
        .build();

    assertThat(StateVerifier.compare(log, Map.of("m-1", altered, "m-2", log.get("m-2"))))
        .extracting(Difference::describe)
        .containsExactly(
            "mission m-1: sequence: log says " + log.get("m-1").getSequence() + ", store says "
                + (log.get("m-1").getSequence() - 1),
            "mission m-1: stage 'features' error.message: log says feature store unreachable, store says disk full");
  }

  @Test
  void missionsOnOneSideOnlyAreReported() {
    Map<String, MissionState> log = fromLog();
    Map<String, MissionState> store = new LinkedHashMap<>();
    store.put("m-1", log.get("m-1"));
    store.put("m-9", MissionState.newBuilder(log.get("m-2")).setMissionId("m-9").build());

    assertThat(StateVerifier.compare(log, store)).extracting(Difference::describe).containsExactly(
        "mission m-2: log says RUNNING on plan 'diamond' at event " + log.get("m-2").getSequence()
            + ", store says no such mission",
        "mission m-9: log says no events, store says RUNNING on plan 'diamond' at event " + log.get("m-2").getSequence());
  }

  @Test
  void stagesAreMatchedByNameSoAMissingOneIsNamed() {
    Map<String, MissionState> log = fromLog();
    MissionState stored = MissionState.newBuilder(log.get("m-2"))
        .setStages(log.get("m-2").getStages().stream().filter(s -> !s.getName().equals("train")).toList())
        .build();

    assertThat(StateVerifier.compare(Map.of("m-2", log.get("m-2")), Map.of("m-2", stored)))
        .extracting(Difference::describe)
        .containsExactly("mission m-2: stage 'train': log says present, store says no such stage");
  }

  private static MissionState withStage(MissionState state, String name, UnaryOperator<StoredStage> change) {
    List<StoredStage> stages = new ArrayList<>();
    for (StoredStage stage : state.getStages()) {
      stages.add(stage.getName().equals(name) ? change.apply(stage) : stage);
    }
    return MissionState.newBuilder(state).setStages(stages).build();
  }
}
