package io.groundcontrol.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.MissionCommand;
import io.groundcontrol.schema.StartMission;
import io.groundcontrol.schema.Trigger;
import io.groundcontrol.schema.TriggerMatch;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Reads the records of trigger topics: each JSON object that meets a trigger's conditions becomes a
 * start command keyed by the mission id derived from trigger and key. One hop to the missions
 * sub-topology, which is keyed by that id and so dedups by key for ever (the plan's
 * {@code on_duplicate}). A record that cannot be used goes to the dead-letter topic with the reason
 * in headers; the next record goes on.
 */
final class TriggerProcessor implements Processor<byte[], byte[], Object, Object> {
  /** Header names as Kafka Streams' own dead-letter handlers write them (KIP-1034). */
  static final String HEADER_MESSAGE = "__streams.errors.message";
  static final String HEADER_EXCEPTION = "__streams.errors.exception";
  static final String HEADER_TOPIC = "__streams.errors.topic";
  static final String HEADER_PARTITION = "__streams.errors.partition";
  static final String HEADER_OFFSET = "__streams.errors.offset";

  private final Map<String, TriggerRule> rules = new HashMap<>();
  private ProcessorContext<Object, Object> context;
  private KeyValueStore<String, Trigger> triggers;

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
    this.triggers = context.getStateStore(TriggerTopology.TRIGGER_STORE);
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    RecordMetadata origin = context.recordMetadata().orElseThrow();
    List<TriggerRule> matching = rulesFor(origin.topic());
    if (matching.isEmpty()) {
      return;
    }
    JsonNode event;
    try {
      event = TriggerRule.parseEvent(record.value());
    } catch (MalformedEventException e) {
      deadLetter(record, origin, e.getMessage());
      return;
    }
    String recordKey = origin.topic() + "-" + origin.partition() + "-" + origin.offset();
    for (TriggerRule rule : matching) {
      Optional<TriggerRule.TriggeredStart> start;
      try {
        start = rule.evaluate(event, recordKey);
      } catch (MalformedEventException e) {
        deadLetter(record, origin, "trigger '" + rule.trigger().getName() + "': " + e.getMessage());
        continue;
      }
      start.ifPresent(s -> start(rule.trigger(), s, record.timestamp(), origin));
    }
  }

  private void start(Trigger trigger, TriggerRule.TriggeredStart start, long timestamp, RecordMetadata origin) {
    if (TriggerGate.gated(trigger)) {
      TriggerMatch match = new TriggerMatch(trigger.getName(), start.plan(), start.key(), start.params(),
          Instant.ofEpochMilli(timestamp), origin.topic(), origin.partition(), origin.offset(), trigger.getPriority());
      context.forward(new Record<Object, Object>(trigger.getName(), match, timestamp), TriggerTopology.GATE_SINK);
      return;
    }
    Actor actor = new Actor(ActorKind.COORDINATOR, "trigger:" + trigger.getName(), null);
    MissionCommand command = new MissionCommand(start.missionId(), actor, Instant.ofEpochMilli(timestamp),
        StartMission.newBuilder().setPlanName(start.plan()).setParams(start.params()).setPriority(trigger.getPriority())
            .build());
    context.forward(new Record<Object, Object>(start.missionId(), command, timestamp), TriggerTopology.COMMANDS_SINK);
  }

  private void deadLetter(Record<byte[], byte[]> record, RecordMetadata origin, String reason) {
    RecordHeaders headers = new RecordHeaders(record.headers().toArray());
    headers.add(HEADER_EXCEPTION, MalformedEventException.class.getName().getBytes(StandardCharsets.UTF_8));
    headers.add(HEADER_MESSAGE, reason.getBytes(StandardCharsets.UTF_8));
    headers.add(HEADER_TOPIC, origin.topic().getBytes(StandardCharsets.UTF_8));
    headers.add(HEADER_PARTITION, String.valueOf(origin.partition()).getBytes(StandardCharsets.UTF_8));
    headers.add(HEADER_OFFSET, String.valueOf(origin.offset()).getBytes(StandardCharsets.UTF_8));
    context.forward(new Record<Object, Object>(record.key(), record.value(), record.timestamp(), headers),
        TriggerTopology.DEAD_LETTER_SINK);
  }

  /** The triggers on {@code topic}, compiled once per applied version. */
  private List<TriggerRule> rulesFor(String topic) {
    List<TriggerRule> found = new java.util.ArrayList<>();
    try (KeyValueIterator<String, Trigger> all = triggers.all()) {
      all.forEachRemaining(entry -> {
        Trigger trigger = entry.value;
        if (trigger != null && trigger.getTopic().equals(topic)) {
          TriggerRule rule = rules.get(trigger.getName());
          if (rule == null || !rule.trigger().equals(trigger)) {
            rule = TriggerRule.of(trigger);
            rules.put(trigger.getName(), rule);
          }
          found.add(rule);
        }
      });
    }
    return found;
  }
}
