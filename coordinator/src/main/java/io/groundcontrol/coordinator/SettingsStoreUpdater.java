package io.groundcontrol.coordinator;

import io.groundcontrol.schema.ComponentSettings;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Keeps the global components store equal to the compacted components topic; a tombstone removes a cap. */
final class SettingsStoreUpdater implements Processor<String, ComponentSettings, Void, Void> {
  private KeyValueStore<String, ComponentSettings> settings;

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    settings = context.getStateStore(CoordinatorTopology.COMPONENT_STORE);
  }

  @Override
  public void process(Record<String, ComponentSettings> record) {
    if (record.key() == null) {
      throw new InvalidInputException("Expected a component name as key of a component settings record, but it is null");
    }
    if (record.value() == null) {
      settings.delete(record.key());
    } else {
      settings.put(record.key(), record.value());
    }
  }
}
