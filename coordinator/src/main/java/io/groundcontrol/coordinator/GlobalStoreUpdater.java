package io.groundcontrol.coordinator;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps a global store equal to its compacted topic (plans, triggers, component settings): a record puts
 * its value under its key, a tombstone removes the key.
 *
 * @param <V> the value type
 */
public final class GlobalStoreUpdater<V> implements Processor<String, V, Void, Void> {
  private final String storeName;
  private final String keyMeaning;
  private KeyValueStore<String, V> store;

  /**
   * An updater of store {@code storeName}.
   *
   * @param keyMeaning what a key names, for the message when one is missing, e.g. "a plan name"
   */
  public GlobalStoreUpdater(String storeName, String keyMeaning) {
    this.storeName = storeName;
    this.keyMeaning = keyMeaning;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    store = context.getStateStore(storeName);
  }

  @Override
  public void process(Record<String, V> record) {
    if (record.key() == null) {
      throw new InvalidInputException("Expected " + keyMeaning + " as key of a record for store '" + storeName
          + "', but it is null");
    }
    if (record.value() == null) {
      store.delete(record.key());
    } else {
      store.put(record.key(), record.value());
    }
  }
}
