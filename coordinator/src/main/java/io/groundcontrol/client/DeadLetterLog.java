package io.groundcontrol.client;

import io.groundcontrol.schema.wire.TopicNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the dead-letter topic: records the coordinator could not decode or give to a mission, with
 * their origin and reason from the headers Kafka Streams' error handlers write (KIP-1034).
 */
public final class DeadLetterLog {
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

  private DeadLetterLog() {}

  /**
   * One dead letter.
   *
   * @param at when it was dead-lettered
   * @param sourceTopic topic the record came from
   * @param sourcePartition its partition there
   * @param sourceOffset its offset there
   * @param key the record's key as text, or null
   * @param missionId the mission it names, when it came from a mission-keyed topic
   * @param exception the exception class that sent it here
   * @param reason why
   * @param valueBytes length of the record's value
   */
  public record DeadLetter(Instant at, String sourceTopic, String sourcePartition, String sourceOffset, String key,
      Optional<String> missionId, String exception, String reason, int valueBytes) {}

  /** Every dead letter in the topic, oldest first. */
  public static List<DeadLetter> readAll(KafkaConnection kafka, TopicNames topics) {
    List<DeadLetter> letters = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
        KafkaClients.reader(kafka), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = TopicPartitions.of(consumer, topics.deadLetters());
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, READ_TIMEOUT);
      long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("Could not read " + topics.deadLetters() + " to its end within " + READ_TIMEOUT);
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          letters.add(of(record, topics));
        }
      }
    }
    letters.sort(java.util.Comparator.comparing(DeadLetter::at));
    return letters;
  }

  private static DeadLetter of(ConsumerRecord<byte[], byte[]> record, TopicNames topics) {
    String source = header(record, "__streams.errors.topic");
    String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    boolean missionKeyed = source.equals(topics.stageReports()) || source.equals(topics.missionCommands());
    return new DeadLetter(Instant.ofEpochMilli(record.timestamp()), source, header(record, "__streams.errors.partition"),
        header(record, "__streams.errors.offset"), key, Optional.ofNullable(missionKeyed ? key : null),
        header(record, "__streams.errors.exception"), header(record, "__streams.errors.message"),
        record.value() == null ? 0 : record.value().length);
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null || header.value() == null ? "?" : new String(header.value(), StandardCharsets.UTF_8);
  }
}
