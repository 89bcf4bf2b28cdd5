package io.groundcontrol.coordinator;

import io.groundcontrol.mission.MissionPlan;
import io.groundcontrol.mission.PlanLookup;
import io.groundcontrol.schema.Plan;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Finds plans in the global plan store. A plan version never changes, so compiled versions are
 * cached (bounded, least recently used) and a dispatch costs no decoding or graph building. Which
 * version is the latest comes from {@link LatestPlans}, once per input ({@link #nextInput()}): a
 * start asks twice (whether to wait for its plan, then to start on it) and must see one version.
 */
final class StorePlanLookup implements PlanLookup {
  private static final int CACHED_VERSIONS = 256;

  private final ReadOnlyKeyValueStore<String, Plan> store;
  private final LatestPlans latest;
  private final Function<Plan, MissionPlan> compiler;
  private final Map<String, MissionPlan> compiled = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, MissionPlan> eldest) {
      return size() > CACHED_VERSIONS;
    }
  };

  /** The name {@link #latest} answered last for this input, and its answer; null before the first. */
  private String latestName;
  private Optional<MissionPlan> latestPlan;

  StorePlanLookup(ReadOnlyKeyValueStore<String, Plan> store, LatestPlans latest, Function<Plan, MissionPlan> compiler) {
    this.store = store;
    this.latest = latest;
    this.compiler = compiler;
  }

  @Override
  public Optional<MissionPlan> latest(String name) {
    if (!name.equals(latestName)) {
      latestPlan = latest.get(name, store).flatMap(found -> version(name, found.version()));
      latestName = name;
    }
    return latestPlan;
  }

  /** Starts a new input: the next {@link #latest} reads the store again, to see plans applied since. */
  void nextInput() {
    latestName = null;
    latestPlan = null;
  }

  @Override
  public Optional<MissionPlan> version(String name, String version) {
    String key = PlanKeys.versioned(name, version);
    MissionPlan cached = compiled.get(key);
    if (cached != null) {
      return Optional.of(cached);
    }
    Plan plan = store.get(key);
    if (plan == null) {
      return Optional.empty();
    }
    MissionPlan fresh = compiler.apply(plan);
    compiled.put(key, fresh);
    return Optional.of(fresh);
  }
}
