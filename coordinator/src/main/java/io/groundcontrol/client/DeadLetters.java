package io.groundcontrol.client;

import io.groundcontrol.schema.wire.TopicNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the dead-letter topic: records the coordinator could not take, with why and where from
 * in their headers (Kafka Streams' KIP-1034 handlers: {@code __streams.errors.*}).
 */
public final class DeadLetters {
  /** One dead letter; {@code value} base64, as received; {@code headers} as UTF-8 text. */
  public record Letter(int partition, long offset, String timestamp, String key, String value,
      Map<String, String> headers) {}

  private DeadLetters() {}

  /** The newest {@code limit} dead letters, newest first. */
  public static List<Letter> newest(KafkaConnection kafka, TopicNames topics, int limit) {
    List<Letter> letters = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
        KafkaClients.reader(kafka), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<PartitionInfo> infos = consumer.partitionsFor(topics.deadLetters(), Duration.ofSeconds(30));
      if (infos == null || infos.isEmpty()) {
        return letters;
      }
      List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
      consumer.assign(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
      for (TopicPartition partition : partitions) {
        consumer.seek(partition, Math.max(begin.get(partition), end.get(partition) - limit));
      }
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
            letters.add(letter(record));
          }
        }
      }
    }
    letters.sort(Comparator.comparing(Letter::timestamp).reversed());
    return letters.size() > limit ? letters.subList(0, limit) : letters;
  }

  private static Letter letter(ConsumerRecord<byte[], byte[]> record) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (Header header : record.headers()) {
      headers.put(header.key(), header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
    }
    return new Letter(record.partition(), record.offset(), Instant.ofEpochMilli(record.timestamp()).toString(),
        record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8),
        record.value() == null ? null : Base64.getEncoder().encodeToString(record.value()), headers);
  }
}
