package io.groundcontrol.schedule;

import io.groundcontrol.mission.MissionIds;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.wire.AvroSerde;
import io.groundcontrol.schema.wire.WireFormatException;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passes the start and end of every scheduled mission from the mission log to its schedule's
 * partition. Keys are read first and only scheduled missions' events decoded, so the cost for the
 * rest of the log is one string comparison.
 */
final class ScheduledMissionRouter implements Processor<String, byte[], String, Object> {
  private static final Logger LOG = LoggerFactory.getLogger(ScheduledMissionRouter.class);
  private final AvroSerde<MissionEvent> serde = AvroSerde.of(MissionEvent.class);
  private ProcessorContext<String, Object> context;

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, byte[]> record) {
    Optional<String> schedule = record.key() == null ? Optional.empty() : MissionIds.scheduleOf(record.key());
    if (schedule.isEmpty() || record.value() == null) {
      return;
    }
    MissionEvent event;
    try {
      event = serde.deserializer().deserialize(null, record.value());
    } catch (WireFormatException e) {
      LOG.warn("Skipping an undecodable event of scheduled mission '{}': {}", record.key(), e.getMessage());
      return;
    }
    if (SchedulerProcessor.statusAfter(event) != null) {
      context.forward(new Record<String, Object>(schedule.get(), event, record.timestamp()));
    }
  }
}
