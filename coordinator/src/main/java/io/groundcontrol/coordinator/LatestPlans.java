package io.groundcontrol.coordinator;

import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.PlanStage;
import io.groundcontrol.schema.ReusePolicy;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * What the global plan store holds under each plan name (the latest version), without its stages:
 * a start learns which version to run, and the mission limits their limit, without reading and
 * decoding the latest plan whole (about 1.5 ms for a plan of 10,000 stages).
 *
 * <p>Kept by the plan store's updater on the global thread, record by record, after the store
 * itself; Kafka Streams replays the plans topic through that updater when it restores the store,
 * but only from the store's checkpoint on: after a restart on the same state directory, the names
 * applied before are in the store and not here. Readers on the stream threads fall back to the store
 * for a name they do not find, so that being here is a saving, never a condition for being right.
 *
 * <p>It also keeps the longest reuse {@code max_age} of each latest plan, for the results index's
 * retention ({@link #longestReuseMaxAge}), which reads the store whole once to be sure of it.
 */
public final class LatestPlans {
  /** The parts of a latest plan that its readers need. */
  public record Latest(String version, Integer maxActiveMissions) {
    static Latest of(Plan plan) {
      return new Latest(plan.getVersion(), plan.getMaxActiveMissions());
    }
  }

  private final ConcurrentMap<String, Latest> byName = new ConcurrentHashMap<>();
  /** Per latest plan with a stage that reuses results, its longest {@code max_age} in ms. */
  private final ConcurrentMap<String, Long> reuseMaxAgeMs = new ConcurrentHashMap<>();
  private volatile boolean storeRead;

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
      reuseMaxAgeMs.remove(key);
    } else {
      byName.put(key, Latest.of(plan));
      long maxAge = longestReuseMs(plan);
      if (maxAge > 0) {
        reuseMaxAgeMs.put(key, maxAge);
      } else {
        reuseMaxAgeMs.remove(key);
      }
    }
  }

  /**
   * The longest reuse {@code max_age} any latest plan declares; zero if none reuses results. The
   * first call reads every latest plan in {@code store}: this instance's updater followed only the
   * records it read since it started, and a store restored from a checkpoint is not read through
   * it again. A plan replaced while that read runs may be counted as it was, which keeps results
   * longer, never shorter.
   */
  public Duration longestReuseMaxAge(ReadOnlyKeyValueStore<String, Plan> store) {
    if (!storeRead) {
      readStore(store);
    }
    return Duration.ofMillis(reuseMaxAgeMs.values().stream().mapToLong(Long::longValue).max().orElse(0));
  }

  private synchronized void readStore(ReadOnlyKeyValueStore<String, Plan> store) {
    if (storeRead) {
      return;
    }
    try (KeyValueIterator<String, Plan> all = store.all()) {
      all.forEachRemaining(entry -> {
        long maxAge = entry.key.indexOf(PlanKeys.VERSION_SEPARATOR) < 0 ? longestReuseMs(entry.value) : 0;
        if (maxAge > 0) {
          reuseMaxAgeMs.putIfAbsent(entry.key, maxAge);
        }
      });
    }
    storeRead = true;
  }

  private static long longestReuseMs(Plan plan) {
    return plan.getStages().stream().map(PlanStage::getReuse).filter(Objects::nonNull)
        .mapToLong(ReusePolicy::getMaxAgeMs).max().orElse(0);
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
