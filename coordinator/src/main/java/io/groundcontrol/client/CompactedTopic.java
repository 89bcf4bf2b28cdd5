package io.groundcontrol.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a compacted topic to its end: the latest value per key, tombstones removing keys. */
public final class CompactedTopic {
  private CompactedTopic() {}

  /**
   * The latest value of every key now in {@code topic}; empty if the topic does not exist.
   *
   * @param values decodes values; tombstones are never passed to it
   */
  public static <V> Map<String, V> read(String bootstrapServers, String topic, Deserializer<V> values) {
    Map<String, V> latest = new LinkedHashMap<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(KafkaClients.reader(bootstrapServers),
        new StringDeserializer(), new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
      if (infos == null || infos.isEmpty()) {
        return latest;
      }
      List<TopicPartition> partitions = new ArrayList<>();
      infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.value() == null) {
            latest.remove(record.key());
          } else {
            latest.put(record.key(), values.deserialize(topic, record.value()));
          }
        }
      }
    }
    return latest;
  }
}
