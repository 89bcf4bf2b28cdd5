package io.groundcontrol.coordinator;

import java.util.function.BiConsumer;
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
  private final BiConsumer<String, V> afterWrite;
  private KeyValueStore<String, V> store;

  /**
   * An updater of store {@code storeName}.
   *
   * @param keyMeaning what a key names, for the message when one is missing, e.g. "a plan name"
   */
  public GlobalStoreUpdater(String storeName, String keyMeaning) {
    this(storeName, keyMeaning, (key, value) -> {});
  }

  /**
   * An updater of store {@code storeName} that tells {@code afterWrite} each key it wrote, with the
   * value put (null when removed), once the store holds it.
   */
  public GlobalStoreUpdater(String storeName, String keyMeaning, BiConsumer<String, V> afterWrite) {
    this.storeName = storeName;
    this.keyMeaning = keyMeaning;
    this.afterWrite = afterWrite;
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
    afterWrite.accept(record.key(), record.value());
  }
}
