package io.groundcontrol.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.Plan;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LatestPlansTest {
  private final LatestPlans latest = new LatestPlans();
  @TempDir Path stateDir;

  @Test
  void keepsTheVersionAndLimitStoredUnderAPlanName() {
    Plan plan = TestPlan.named("nightly").version("7").stage("a", "c").maxActiveMissions(2).build();

    latest.stored("nightly", plan);

    assertEquals(Optional.of(new LatestPlans.Latest("7", 2)), latest.get("nightly", null));
  }

  @Test
  void aVersionedKeyIsNotALatestPlan() {
    Plan older = TestPlan.named("nightly").version("6").stage("a", "c").build();
    Plan newer = TestPlan.named("nightly").version("7").stage("a", "c").build();
    latest.stored("nightly", newer);

    latest.stored(PlanKeys.versioned("nightly", "6"), older);

    assertEquals("7", latest.get("nightly", null).orElseThrow().version());
  }

  @Test
  void aTombstoneUnderThePlanNameForgetsIt() {
    latest.stored("nightly", TestPlan.named("nightly").version("7").stage("a", "c").build());

    latest.stored("nightly", null);

    try (CoordinatorDriver coordinator = new CoordinatorDriver(stateDir)) {
      KeyValueStore<String, Plan> empty = coordinator.driver.getKeyValueStore(CoordinatorTopology.PLAN_STORE);
      assertTrue(latest.get("nightly", empty).isEmpty());
    }
  }

  @Test
  void theLongestReuseMaxAgeCountsTheLatestPlansInTheStoreThatTheUpdaterNeverSaw() {
    try (CoordinatorDriver coordinator = new CoordinatorDriver(stateDir)) {
      KeyValueStore<String, Plan> store = coordinator.driver.getKeyValueStore(CoordinatorTopology.PLAN_STORE);
      // As restored from a checkpoint: in the store, never read through this instance's updater.
      store.put("etl", TestPlan.named("etl").stage("a", "sql").reuse(Duration.ofHours(5).toMillis()).build());
      store.put(PlanKeys.versioned("etl", "0"),
          TestPlan.named("etl").stage("a", "sql").reuse(Duration.ofHours(9).toMillis()).build());
      latest.stored("nightly", TestPlan.named("nightly").stage("a", "c").reuse(Duration.ofHours(2).toMillis()).build());

      assertEquals(Duration.ofHours(5), latest.longestReuseMaxAge(store), "a version that is not the latest is not counted");

      latest.stored("etl", TestPlan.named("etl").stage("a", "sql").build());
      assertEquals(Duration.ofHours(2), latest.longestReuseMaxAge(store));
    }
  }

  @Test
  void thePlanStoresUpdaterKeepsItInStepWithTheStore() {
    try (CoordinatorDriver coordinator = new CoordinatorDriver(stateDir)) {
      KeyValueStore<String, Plan> store = coordinator.driver.getKeyValueStore(CoordinatorTopology.PLAN_STORE);
      coordinator.apply(TestPlan.named("etl").version("1").stage("a", "sql").build());
      coordinator.apply(TestPlan.named("etl").version("2").stage("a", "sql").build());
      // The plan under its name, replaced behind the updater's back: only a reader of the store sees it.
      store.put("etl", TestPlan.named("etl").version("3").stage("a", "sql").build());

      coordinator.start("m1", "etl", CoordinatorDriver.T0);

      assertEquals("2", coordinator.stored("m1").getPlanVersion());
    }
  }
}
