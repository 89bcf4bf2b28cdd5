package io.groundcontrol.coordinator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.function.Supplier;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Deletes the dead entries of a store a batch at a time, from a punctuation: each call reads at
 * most {@code batch} entries, going on in key order from where the last call stopped, so a large
 * store costs many short calls rather than one that holds up the stream thread. A pass over the
 * whole store begins at most once per {@code pause}, so a small store is not read again at every
 * tick. The cursor lives in memory: after a restart the next pass begins at the first key, which
 * only repeats reads.
 *
 * <p>Which entries are dead is decided by a rule made when a pass begins, so that what it reads to
 * decide (a time, a horizon) is read once per pass, not once per entry.
 *
 * @param <V> value type
 */
public final class StoreSweep<V> {
  private final KeyValueStore<String, V> store;
  private final int batch;
  private final Duration pause;
  /** The key the current pass goes on from; null between passes. */
  private String next;
  private BiPredicate<String, V> dead;
  /** When the last pass began; null before the first. */
  private Instant passBegan;

  /**
   * @param batch the most entries one call reads
   * @param pause the least time from the start of one pass to the start of the next
   */
  public StoreSweep(KeyValueStore<String, V> store, int batch, Duration pause) {
    if (batch < 1) {
      throw new IllegalArgumentException("Expected a batch of at least 1 entry, but got " + batch);
    }
    this.store = store;
    this.batch = batch;
    this.pause = pause;
  }

  /**
   * Reads the next batch and deletes the entries the pass's rule says are dead; begins a pass, with
   * the rule {@code newPass} makes, if none is under way and the last began {@code pause} before
   * {@code now}.
   *
   * @return how many entries were deleted
   */
  public int sweep(Instant now, Supplier<BiPredicate<String, V>> newPass) {
    if (next == null) {
      if (passBegan != null && now.isBefore(passBegan.plus(pause))) {
        return 0;
      }
      passBegan = now;
      next = "";
      dead = newPass.get();
    }
    List<String> deletions = new ArrayList<>();
    int read = 0;
    String last = null;
    try (KeyValueIterator<String, V> entries = store.range(next, null)) {
      while (read < batch && entries.hasNext()) {
        KeyValue<String, V> entry = entries.next();
        read++;
        last = entry.key;
        if (dead.test(entry.key, entry.value)) {
          deletions.add(entry.key);
        }
      }
    }
    // Deleted after the iterator is closed: it is not read past a key removed under it.
    deletions.forEach(store::delete);
    // The least key after the last one read: a key with a NUL appended.
    next = read < batch ? null : last + '\u0000';
    return deletions.size();
  }
}
