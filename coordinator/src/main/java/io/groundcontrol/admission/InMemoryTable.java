package io.groundcontrol.admission;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A {@link SortedTable} in a sorted map, not durable: for pure tests, and as {@link MirroredTable}'s copy. */
public final class InMemoryTable<V> implements SortedTable<V> {
  private final TreeMap<String, V> map = new TreeMap<>();

  @Override
  public V get(String key) {
    return map.get(key);
  }

  @Override
  public void put(String key, V value) {
    map.put(key, value);
  }

  @Override
  public void delete(String key) {
    map.remove(key);
  }

  @Override
  public Map.Entry<String, V> first(String from, String to) {
    Map.Entry<String, V> entry = map.ceilingEntry(from);
    return entry == null || entry.getKey().compareTo(to) >= 0 ? null : entry;
  }

  /**
   * A copy of each entry: a TreeMap's own entries are its nodes, and removing a key may move another
   * key and value into the node that held it, so entries read before a change would not stay as read.
   */
  @Override
  public List<Map.Entry<String, V>> range(String from, String to) {
    List<Map.Entry<String, V>> entries = new ArrayList<>();
    for (Map.Entry<String, V> entry : map.subMap(from, true, to, false).entrySet()) {
      entries.add(new AbstractMap.SimpleImmutableEntry<>(entry));
    }
    return entries;
  }

  /** How many entries the table holds. */
  public int size() {
    return map.size();
  }
}
