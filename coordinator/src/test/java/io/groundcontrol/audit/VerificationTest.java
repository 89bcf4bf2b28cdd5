package io.groundcontrol.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.coordinator.MissionStateCodec;
import io.groundcontrol.mission.InMemoryPlans;
import io.groundcontrol.mission.Mission;
import io.groundcontrol.mission.MissionHarness;
import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VerificationTest {
  private final MissionHarness harness = new MissionHarness(new InMemoryPlans().apply(TestPlan.diamond()));
  private final MissionFold fold = new MissionFold();
  private final Map<String, MissionState> store = new LinkedHashMap<>();

  private void run(String id) {
    harness.start(id, "diamond").stage(id, "extract").runs();
    store.put(id, MissionStateCodec.toStored((Mission) harness.mission(id)));
  }

  @Test
  void aStoreEqualToTheLogIsClean() {
    run("m-1");
    run("m-2");
    harness.log("m-1").forEach(fold::accept);
    harness.log("m-2").forEach(fold::accept);

    Verification verification = Verification.of(fold, store, Set.of());

    assertThat(verification.clean()).isTrue();
    assertThat(verification.compared()).isEqualTo(2);
  }

  @Test
  void aBrokenHistoryIsAFindingAndItsMissionIsNotCompared() {
    run("m-1");
    run("m-2");
    List<MissionEvent> m1 = harness.log("m-1");
    fold.accept(m1.get(0));
    fold.accept(m1.get(2));
    harness.log("m-2").forEach(fold::accept);

    Verification verification = Verification.of(fold, store, Set.of());

    assertThat(verification.differences()).isEmpty();
    assertThat(verification.brokenHistories()).singleElement().asString()
        .startsWith("mission m-1: sequence gap: event 2 is missing");
    assertThat(verification.clean()).isFalse();
  }

  @Test
  void aStoreBehindTheLogIsADifferenceFlaggedAsPossiblyInFlight() {
    run("m-1");
    MissionState before = store.get("m-1");
    harness.stage("m-1", "clean").started();
    harness.log("m-1").forEach(fold::accept);

    Verification verification = Verification.of(fold, Map.of("m-1", before), Set.of());

    assertThat(verification.differences()).extracting(Difference::describe)
        .contains("mission m-1: stage 'clean' status: log says RUNNING, store says DISPATCHED");
    assertThat(verification.logAhead()).isTrue();
  }

  @Test
  void missionsWhoseStoredValueIsUnreadableAreLeftOut() {
    run("m-1");
    harness.log("m-1").forEach(fold::accept);

    Verification verification = Verification.of(fold, Map.of(), Set.of("m-1"));

    assertThat(verification.differences()).isEmpty();
    assertThat(verification.compared()).isZero();
  }
}
