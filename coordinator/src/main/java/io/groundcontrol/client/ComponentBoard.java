package io.groundcontrol.client;

import io.groundcontrol.schema.ComponentSettings;
import io.groundcontrol.schema.ComponentStatus;
import io.groundcontrol.schema.wire.AvroSerde;
import io.groundcontrol.schema.wire.TopicNames;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Every component's settings and last published status, read from the two compacted topics to
 * their end: what {@code component list} and {@code mission show} print. Needs no coordinator to
 * answer, and shows the status as of the coordinator's last publication (a few per second at most).
 *
 * @param settings settings by component name
 * @param statuses last status by component name
 */
public record ComponentBoard(Map<String, ComponentSettings> settings, Map<String, ComponentStatus> statuses) {

  /** Reads both topics of the installation named by {@code topics}; missing topics read as empty. */
  public static ComponentBoard read(KafkaConnection kafka, TopicNames topics) {
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
        KafkaClients.reader(kafka), new StringDeserializer(), new ByteArrayDeserializer())) {
      Map<String, ComponentSettings> settings = readTopic(consumer, topics.components(),
          AvroSerde.of(ComponentSettings.class).codec()::decode);
      Map<String, ComponentStatus> statuses = readTopic(consumer, topics.componentStatus(),
          AvroSerde.of(ComponentStatus.class).codec()::decode);
      return new ComponentBoard(settings, statuses);
    }
  }

  private static <V> Map<String, V> readTopic(
      KafkaConsumer<String, byte[]> consumer, String topic, Function<byte[], V> decode) {
    Map<String, V> latest = new TreeMap<>();
    List<TopicPartition> partitions = TopicPartitions.of(consumer, topic, Duration.ofSeconds(10));
    if (partitions.isEmpty()) {
      return latest;
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
    while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
      for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
        if (record.value() == null) {
          latest.remove(record.key());
        } else {
          try {
            latest.put(record.key(), decode.apply(record.value()));
          } catch (RuntimeException e) {
            // A record this release cannot read says nothing about the others.
          }
        }
      }
    }
    return latest;
  }

  /** Why a queued stage of {@code component} waits, in words; empty if nothing is known. */
  public Optional<String> waitReason(String component) {
    return slots(component).map(slots -> "waiting for a slot of '" + component + "': " + slots);
  }

  /** How many slots of {@code component} are taken, {@code 8 of 8 running}; empty if nothing is known. */
  public Optional<String> slots(String component) {
    ComponentStatus status = statuses.get(component);
    ComponentSettings setting = settings.get(component);
    Integer cap = setting != null ? setting.getMaxRunning() : status == null ? null : status.getMaxRunning();
    if (status == null && cap == null) {
      return Optional.empty();
    }
    int running = status == null ? 0 : status.getRunning();
    return Optional.of(running + " of " + (cap == null ? "unlimited" : cap) + " running");
  }

}
