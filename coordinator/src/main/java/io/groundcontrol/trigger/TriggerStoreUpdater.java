package io.groundcontrol.trigger;

import io.groundcontrol.schema.Trigger;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Keeps the global trigger store equal to the compacted triggers topic; a tombstone removes a trigger. */
final class TriggerStoreUpdater implements Processor<String, Trigger, Void, Void> {
  private KeyValueStore<String, Trigger> triggers;

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    triggers = context.getStateStore(TriggerTopology.TRIGGER_STORE);
  }

  @Override
  public void process(Record<String, Trigger> record) {
    if (record.key() == null) {
      return;
    }
    if (record.value() == null) {
      triggers.delete(record.key());
    } else {
      triggers.put(record.key(), record.value());
    }
  }
}
