package io.groundcontrol.coordinator;

import io.groundcontrol.schema.Plan;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Keeps the global plan store equal to the compacted plans topic; a tombstone removes a plan. */
final class PlanStoreUpdater implements Processor<String, Plan, Void, Void> {
  private KeyValueStore<String, Plan> plans;

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    plans = context.getStateStore(CoordinatorTopology.PLAN_STORE);
  }

  @Override
  public void process(Record<String, Plan> record) {
    if (record.key() == null) {
      throw new InvalidInputException("Expected a plan name or name@version as key of a plan record, but it is null");
    }
    if (record.value() == null) {
      plans.delete(record.key());
    } else {
      plans.put(record.key(), record.value());
    }
  }
}
