package io.groundcontrol.coordinator;

import io.groundcontrol.schema.Plan;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * What the global plan store holds under each plan name (the latest version), without its stages:
 * a start learns which version to run, and the mission limits their limit, without reading and
 * decoding the latest plan whole (about 1.5 ms for a plan of 10,000 stages).
 *
 * <p>Kept by the plan store's updater on the global thread, record by record, after the store
 * itself; Kafka Streams replays the plans topic through that updater when it restores the store, so
 * every name in the store is here. Readers on the stream threads still fall back to the store for a
 * name they do not find, so that being here is a saving, never a condition for being right.
 */
public final class LatestPlans {
  /** The parts of a latest plan that its readers need. */
  public record Latest(String version, Integer maxActiveMissions) {
    static Latest of(Plan plan) {
      return new Latest(plan.getVersion(), plan.getMaxActiveMissions());
    }
  }

  private final ConcurrentMap<String, Latest> byName = new ConcurrentHashMap<>();

  /**
   * Follows one record of the plan store: {@code plan} put under {@code key}, or removed when null.
   * Keys of single versions ({@code name@version}) are not latest plans and are left out.
   */
  public void stored(String key, Plan plan) {
    if (key.indexOf(PlanKeys.VERSION_SEPARATOR) >= 0) {
      return;
    }
    if (plan == null) {
      byName.remove(key);
    } else {
      byName.put(key, Latest.of(plan));
    }
  }

  /** The latest plan named {@code name}, from what was kept or else from {@code store}; empty if none. */
  public Optional<Latest> get(String name, ReadOnlyKeyValueStore<String, Plan> store) {
    Latest kept = byName.get(name);
    if (kept != null) {
      return Optional.of(kept);
    }
    return Optional.ofNullable(store.get(name)).map(Latest::of);
  }
}
