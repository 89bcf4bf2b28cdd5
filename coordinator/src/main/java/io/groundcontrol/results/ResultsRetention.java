package io.groundcontrol.results;

import io.groundcontrol.coordinator.LatestPlans;
import io.groundcontrol.coordinator.StoreSweep;
import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.ResultEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BiPredicate;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Forgets the results no stage can reuse any more, from a wall-clock punctuation: an entry whose
 * newest result is older than the horizon, the longer of the retention and the longest reuse
 * {@code max_age} of the latest plans (result keys are shared by every plan, so one horizon serves
 * all), with no claim and no waiter ({@link ResultIndex#forgettable}).
 *
 * <p>Age counts up to the task's stream time, the newest request time it has read, not the wall
 * clock: a lookup is answered on its own request time, so a results task that was down or is
 * behind keeps what the lookups still to be read may reuse.
 */
final class ResultsRetention {
  /**
   * How often the sweep runs. Every punctuation marks its task for a commit and halves the records
   * the stream thread takes per loop, so the sweep ticks seldom rather than the missions' 100 ms.
   */
  static final Duration TICK = Duration.ofSeconds(1);
  /**
   * Entries read at most per tick, 100 a second per partition: an entry holds outputs of up to
   * {@code --max-output-bytes}, so a tick reads at most 100 of them, at the default 6.4 MiB.
   */
  static final int BATCH = 100;
  /** The least time between the starts of two passes over all entries. */
  static final Duration PASS = Duration.ofMinutes(1);

  private final Duration retention;
  private final LatestPlans latestPlans;
  private final ReadOnlyKeyValueStore<String, Plan> plans;
  private final StoreSweep<ResultEntry> sweep;

  /**
   * @param retention the least time a result is kept; zero: for ever
   * @param plans the global plan store, read once for {@code latestPlans}' longest {@code max_age}
   */
  ResultsRetention(Duration retention, KeyValueStore<String, ResultEntry> entries, LatestPlans latestPlans,
      ReadOnlyKeyValueStore<String, Plan> plans) {
    this.retention = retention;
    this.latestPlans = latestPlans;
    this.plans = plans;
    this.sweep = new StoreSweep<>(entries, BATCH, PASS);
  }

  /** Sweeps the next batch at wall-clock {@code now}, the task having read requests up to {@code streamTimeMs}. */
  void tick(Instant now, long streamTimeMs) {
    if (!retention.isZero()) {
      sweep.sweep(now, () -> forgettableBy(Instant.ofEpochMilli(streamTimeMs)));
    }
  }

  private BiPredicate<String, ResultEntry> forgettableBy(Instant readUpTo) {
    Duration longestMaxAge = latestPlans.longestReuseMaxAge(plans);
    Instant cutoff = readUpTo.minus(longestMaxAge.compareTo(retention) > 0 ? longestMaxAge : retention);
    return (key, entry) -> ResultIndex.forgettable(entry, cutoff);
  }
}
