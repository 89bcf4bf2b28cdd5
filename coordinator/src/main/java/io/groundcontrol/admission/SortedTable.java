package io.groundcontrol.admission;

import java.util.List;
import java.util.Map;

/**
 * A key-value table ordered by key, the little the dispatcher needs of a state store: a Kafka
 * Streams store in the coordinator, a sorted map in tests. Keys compare as their UTF-8 bytes,
 * which for the keys used here (no surrogate pairs) is the order of {@link String#compareTo}.
 *
 * @param <V> value type
 */
public interface SortedTable<V> {
  V get(String key);

  void put(String key, V value);

  void delete(String key);

  /** The entry with the smallest key in {@code [from, to)}, or null if there is none. */
  Map.Entry<String, V> first(String from, String to);

  /**
   * Every entry with a key in {@code [from, to)}, in key order; for small ranges only. A snapshot:
   * the caller may write to the table while it goes through them, and they stay as read.
   */
  List<Map.Entry<String, V>> range(String from, String to);
}
