package io.groundcontrol.admission;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/** A {@link SortedTable} over a Kafka Streams key-value store with string keys. */
public final class StoreTable<V> implements SortedTable<V> {
  private final KeyValueStore<String, V> store;

  public StoreTable(KeyValueStore<String, V> store) {
    this.store = store;
  }

  @Override
  public V get(String key) {
    return store.get(key);
  }

  @Override
  public void put(String key, V value) {
    store.put(key, value);
  }

  @Override
  public void delete(String key) {
    store.delete(key);
  }

  @Override
  public Map.Entry<String, V> first(String from, String to) {
    try (KeyValueIterator<String, V> it = store.range(from, to)) {
      while (it.hasNext()) {
        KeyValue<String, V> next = it.next();
        if (next.key.compareTo(to) < 0) {
          return new AbstractMap.SimpleImmutableEntry<>(next.key, next.value);
        }
      }
      return null;
    }
  }

  @Override
  public List<Map.Entry<String, V>> range(String from, String to) {
    List<Map.Entry<String, V>> out = new ArrayList<>();
    try (KeyValueIterator<String, V> it = store.range(from, to)) {
      while (it.hasNext()) {
        KeyValue<String, V> next = it.next();
        if (next.key.compareTo(to) < 0) {
          out.add(new AbstractMap.SimpleImmutableEntry<>(next.key, next.value));
        }
      }
    }
    return out;
  }
}
