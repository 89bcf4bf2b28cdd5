package io.groundcontrol.client;

import io.groundcontrol.mission.EventAppliers;
import io.groundcontrol.mission.Mission;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.wire.AvroSerde;
import io.groundcontrol.schema.wire.TopicNames;
import io.groundcontrol.schema.wire.WireFormatException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the mission-events log and rebuilds missions from it with the coordinator's own
 * {@link EventAppliers}. Works with no coordinator running: the log is the source of truth.
 */
public final class MissionLog implements AutoCloseable {
  private final KafkaConsumer<String, byte[]> consumer;
  private final AvroSerde<MissionEvent> serde = AvroSerde.of(MissionEvent.class);
  private final List<TopicPartition> partitions = new ArrayList<>();

  /** A reader of the log named by {@code topics}. */
  public MissionLog(KafkaConnection kafka, TopicNames topics) {
    this.consumer = new KafkaConsumer<>(KafkaClients.reader(kafka), new StringDeserializer(), new ByteArrayDeserializer());
    List<PartitionInfo> infos = consumer.partitionsFor(topics.missionEvents(), Duration.ofSeconds(30));
    if (infos == null || infos.isEmpty()) {
      consumer.close();
      throw new IllegalStateException("Expected topic " + topics.missionEvents() + " to exist, but it does not: "
          + "has a coordinator ever run against " + kafka.bootstrapServers() + "?");
    }
    for (PartitionInfo info : infos) {
      partitions.add(new TopicPartition(info.topic(), info.partition()));
    }
    consumer.assign(partitions);
  }

  /** Every event now in the log, per mission in log order; undecodable records go to {@code problems}. */
  public Map<String, List<MissionEvent>> readAll(Consumer<String> problems) {
    Map<String, List<MissionEvent>> byMission = new LinkedHashMap<>();
    consumer.seekToBeginning(partitions);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
    while (!reached(end)) {
      for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
        MissionEvent event = decode(record, problems);
        if (event != null) {
          byMission.computeIfAbsent(event.getMissionId(), k -> new ArrayList<>()).add(event);
        }
      }
    }
    return byMission;
  }

  /**
   * Every event now in the log whose record key passes {@code keys}, per mission in log order, as
   * {@link #scan} reads them: the events of a few missions without holding the whole log.
   */
  public Map<String, List<MissionEvent>> readAll(Predicate<String> keys, Consumer<String> problems) {
    Map<String, List<MissionEvent>> byMission = new LinkedHashMap<>();
    scan(keys, event -> byMission.computeIfAbsent(event.getMissionId(), k -> new ArrayList<>()).add(event), problems);
    return byMission;
  }

  /**
   * Calls {@code sink} with every event now in the log whose record key passes {@code keys}, in log
   * order per partition; records of other keys are skipped before decoding. Undecodable and empty
   * records go to {@code problems} with their topic, partition and offset, and reading goes on.
   */
  public void scan(Predicate<String> keys, Consumer<MissionEvent> sink, Consumer<String> problems) {
    consumer.seekToBeginning(partitions);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
    while (!reached(end)) {
      for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
        if (!keys.test(record.key())) {
          continue;
        }
        if (record.value() == null) {
          problems.accept(record.topic() + "-" + record.partition() + " offset " + record.offset()
              + ": empty value (a tombstone) where a MissionEvent was expected");
          continue;
        }
        MissionEvent event = decode(record, problems);
        if (event != null) {
          sink.accept(event);
        }
      }
    }
  }

  /**
   * The events of one mission now in the log, in log order (its sequence order, as the coordinator
   * writes a mission's events to one partition), including rejections of inputs that named it
   * before it existed (sequence 0).
   */
  public List<MissionEvent> readMission(String missionId, Consumer<String> problems) {
    List<MissionEvent> events = new ArrayList<>();
    scan(missionId::equals, event -> {
      if (event.getMissionId().equals(missionId)) {
        events.add(event);
      }
    }, problems);
    return events;
  }

  /** Where this reader stands in every partition: where a further {@link #follow} continues from. */
  public Map<TopicPartition, Long> positions() {
    Map<TopicPartition, Long> positions = new LinkedHashMap<>();
    for (TopicPartition partition : partitions) {
      positions.put(partition, consumer.position(partition));
    }
    return positions;
  }

  /** The current end of every partition of the log: where to {@link #follow} from after sending a command. */
  public Map<TopicPartition, Long> endOffsets() {
    return consumer.endOffsets(partitions);
  }

  /**
   * Calls {@code listener} with every event from {@code from} on, until it returns false or
   * {@code timeout} passes.
   *
   * @return true if the listener asked to stop, false on timeout
   */
  public boolean follow(
      Map<TopicPartition, Long> from, Predicate<MissionEvent> listener, Consumer<String> problems, Duration timeout) {
    from.forEach(consumer::seek);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
        MissionEvent event = decode(record, problems);
        if (event != null && !listener.test(event)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Missions rebuilt by folding their events; a mission whose history is broken goes to {@code problems}. */
  public static Map<String, Mission> rebuild(Map<String, List<MissionEvent>> byMission, Consumer<String> problems) {
    EventAppliers appliers = new EventAppliers();
    Map<String, Mission> missions = new LinkedHashMap<>();
    byMission.forEach((id, events) -> {
      try {
        Mission mission = appliers.replay(events);
        if (mission != null) {
          missions.put(id, mission);
        }
      } catch (IllegalStateException e) {
        problems.accept("mission '" + id + "': " + e.getMessage());
      }
    });
    return missions;
  }

  private MissionEvent decode(ConsumerRecord<String, byte[]> record, Consumer<String> problems) {
    try {
      return serde.deserializer().deserialize(record.topic(), record.value());
    } catch (WireFormatException e) {
      problems.accept(record.topic() + "-" + record.partition() + " offset " + record.offset() + ": " + e.getMessage());
      return null;
    }
  }

  private boolean reached(Map<TopicPartition, Long> end) {
    for (TopicPartition partition : partitions) {
      if (consumer.position(partition) < end.get(partition)) {
        return false;
      }
    }
    return true;
  }

  /** The partitions read, for tests and diagnostics. */
  public Collection<TopicPartition> partitions() {
    return List.copyOf(partitions);
  }

  @Override
  public void close() {
    consumer.close();
  }
}
