package io.groundcontrol.coordinator;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps a global store equal to its compacted topic (plans, component settings): a record puts its
 * value under its key, a tombstone removes the key.
 *
 * @param <V> the value type
 */
final class GlobalStoreUpdater<V> implements Processor<String, V, Void, Void> {
  private final String storeName;
  private final String keyDescription;
  private KeyValueStore<String, V> store;

  /**
   * @param storeName the global store to keep
   * @param keyDescription what a key is, for the error on a record without one
   */
  GlobalStoreUpdater(String storeName, String keyDescription) {
    this.storeName = storeName;
    this.keyDescription = keyDescription;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    store = context.getStateStore(storeName);
  }

  @Override
  public void process(Record<String, V> record) {
    if (record.key() == null) {
      throw new InvalidInputException("Expected " + keyDescription + " as key of a record for the " + storeName
          + " store, but it is null");
    }
    if (record.value() == null) {
      store.delete(record.key());
    } else {
      store.put(record.key(), record.value());
    }
  }
}
