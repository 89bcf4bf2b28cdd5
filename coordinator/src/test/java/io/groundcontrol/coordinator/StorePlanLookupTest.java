package io.groundcontrol.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.groundcontrol.mission.MissionPlan;
import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.Plan;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;

class StorePlanLookupTest {
  private final LatestPlans latest = new LatestPlans();
  private final CountingPlanStore store = new CountingPlanStore(latest);
  private final StorePlanLookup plans = new StorePlanLookup(store, latest, CompiledPlan::of);

  @Test
  void theLatestVersionIsLearntWithoutReadingTheLatestPlanAndEachVersionIsDecodedOnce() {
    store.apply(TestPlan.named("etl").version("1").stage("a", "c").build());

    assertEquals("1", plans.latest("etl").orElseThrow().version());
    plans.nextInput();
    assertEquals("1", plans.latest("etl").orElseThrow().version());

    assertEquals(0, store.reads("etl"));
    assertEquals(1, store.reads("etl@1"));
  }

  @Test
  void aPlanTheUpdaterDidNotReportIsReadFromTheStoreOncePerInput() {
    store.putWithoutTelling(TestPlan.named("etl").version("1").stage("a", "c").build());

    assertEquals("1", plans.latest("etl").orElseThrow().version());
    assertEquals("1", plans.latest("etl").orElseThrow().version());

    assertEquals(1, store.reads("etl"));
  }

  @Test
  void aRemovedPlanIsNoLongerFound() {
    store.apply(TestPlan.named("etl").version("1").stage("a", "c").build());
    assertEquals("1", plans.latest("etl").orElseThrow().version());

    store.remove("etl");
    plans.nextInput();

    assertTrue(plans.latest("etl").isEmpty());
  }

  @Test
  void aVersionAppliedSinceIsSeenByTheNextInput() {
    store.apply(TestPlan.named("etl").version("1").stage("a", "c").build());
    assertEquals("1", plans.latest("etl").orElseThrow().version());

    store.apply(TestPlan.named("etl").version("2").stage("a", "c").build());
    assertEquals("1", plans.latest("etl").orElseThrow().version(), "one input sees one version");
    plans.nextInput();

    assertEquals("2", plans.latest("etl").orElseThrow().version());
  }

  @Test
  void anUnknownPlanIsAskedForAgainByTheNextInput() {
    assertTrue(plans.latest("etl").isEmpty());
    store.apply(TestPlan.named("etl").version("1").stage("a", "c").build());
    plans.nextInput();

    MissionPlan found = plans.latest("etl").orElseThrow();

    assertEquals("1", found.version());
  }

  @Test
  void anotherNameInTheSameInputIsReadFromTheStore() {
    store.apply(TestPlan.named("etl").version("1").stage("a", "c").build());
    store.apply(TestPlan.named("train").version("4").stage("a", "c").build());

    assertEquals("1", plans.latest("etl").orElseThrow().version());
    assertEquals("4", plans.latest("train").orElseThrow().version());
    assertEquals("1", plans.latest("etl").orElseThrow().version());
  }

  /**
   * Plans as the global store holds them: the latest under the name, each version under
   * name@version; each write told to {@link LatestPlans}, as the store's updater does.
   */
  private static final class CountingPlanStore implements ReadOnlyKeyValueStore<String, Plan> {
    private final LatestPlans latest;
    private final Map<String, Plan> plans = new HashMap<>();
    private final Map<String, Integer> reads = new HashMap<>();

    CountingPlanStore(LatestPlans latest) {
      this.latest = latest;
    }

    void apply(Plan plan) {
      put(PlanKeys.versioned(plan.getName(), plan.getVersion()), plan);
      put(plan.getName(), plan);
    }

    /** Stores {@code plan} as {@link #apply} does, but tells nobody: a store filled some other way. */
    void putWithoutTelling(Plan plan) {
      plans.put(PlanKeys.versioned(plan.getName(), plan.getVersion()), plan);
      plans.put(plan.getName(), plan);
    }

    void remove(String key) {
      plans.remove(key);
      latest.stored(key, null);
    }

    private void put(String key, Plan plan) {
      plans.put(key, plan);
      latest.stored(key, plan);
    }

    int reads(String key) {
      return reads.getOrDefault(key, 0);
    }

    @Override
    public Plan get(String key) {
      reads.merge(key, 1, Integer::sum);
      return plans.get(key);
    }

    @Override
    public KeyValueIterator<String, Plan> range(String from, String to) {
      throw new UnsupportedOperationException();
    }

    @Override
    public KeyValueIterator<String, Plan> all() {
      throw new UnsupportedOperationException();
    }

    @Override
    public long approximateNumEntries() {
      return plans.size();
    }
  }
}
