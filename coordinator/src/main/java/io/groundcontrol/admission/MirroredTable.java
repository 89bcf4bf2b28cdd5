package io.groundcontrol.admission;

import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A {@link SortedTable} over a changelogged Kafka Streams store, read from a sorted map in memory
 * that mirrors it. The store stays the durable truth (every write goes to it, and so to its
 * changelog, in the task's transaction); the mirror is loaded from it when the task's processor is
 * initialised, which Kafka Streams does again after every restore, so it never outlives the store's
 * contents.
 *
 * <p>Why: the dispatcher looks up its queue heads and counters several times per request; over a
 * RocksDB store each lookup is a seek through the queue's deleted keys and a decode of the value,
 * which made a capped hand-off cost ten times the CPU of an uncapped one. Admission state is small
 * (attempts queued or running, a few counters per component), so a copy in memory is cheap.
 *
 * @param <V> value type; values read are the mirror's own objects, so a caller that changes one
 *     must {@link #put} it back
 */
public final class MirroredTable<V> implements SortedTable<V> {
  private final KeyValueStore<String, V> store;
  private final InMemoryTable<V> mirror = new InMemoryTable<>();

  /** Mirrors {@code store} as it is now. */
  public MirroredTable(KeyValueStore<String, V> store) {
    this.store = store;
    try (KeyValueIterator<String, V> all = store.all()) {
      while (all.hasNext()) {
        KeyValue<String, V> next = all.next();
        mirror.put(next.key, next.value);
      }
    }
  }

  @Override
  public V get(String key) {
    return mirror.get(key);
  }

  @Override
  public void put(String key, V value) {
    store.put(key, value);
    mirror.put(key, value);
  }

  @Override
  public void delete(String key) {
    store.delete(key);
    mirror.delete(key);
  }

  @Override
  public Map.Entry<String, V> first(String from, String to) {
    return mirror.first(from, to);
  }

  @Override
  public List<Map.Entry<String, V>> range(String from, String to) {
    return mirror.range(from, to);
  }

  /** How many entries the table holds. */
  public int size() {
    return mirror.size();
  }
}
