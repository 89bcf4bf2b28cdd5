package io.groundcontrol.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What a coordinator's store holds as its committed changelog says, read from the broker: for a
 * test that failed, to show where state was left (the processes that own the store may be gone).
 */
public final class StoreChangelogs {
  private StoreChangelogs() {}

  /**
   * The live entries of store {@code store} of application {@code applicationId}, by key, with each
   * value shown by {@code show}; keys shown with their NUL separators as '|'.
   */
  public static Map<String, String> live(
      String bootstrapServers, String applicationId, String store, Function<byte[], String> show) {
    Map<String, String> live = new TreeMap<>();
    readAll(bootstrapServers, applicationId + "-" + store + "-changelog", record -> {
      String key = record.partition() + ":" + record.key().replace('\u0000', '|');
      if (record.value() == null) {
        live.remove(key);
      } else {
        live.put(key, show.apply(record.value()));
      }
    });
    return live;
  }

  /**
   * Every committed record of {@code topic} whose key {@code keep} accepts, in each partition's
   * order, as "partition:offset @timestamp key value" with the value shown by {@code show}.
   */
  public static List<String> records(String bootstrapServers, String topic, Predicate<String> keep,
      Function<byte[], String> show) {
    List<String> kept = new ArrayList<>();
    readAll(bootstrapServers, topic, record -> {
      if (keep.test(record.key())) {
        kept.add(record.partition() + ":" + record.offset() + " @" + Instant.ofEpochMilli(record.timestamp()) + " "
            + record.key() + " " + (record.value() == null ? "null" : show.apply(record.value())));
      }
    });
    return kept;
  }

  private static void readAll(String bootstrapServers, String topic, Consumer<ConsumerRecord<String, byte[]>> each) {
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(10))) {
        partitions.add(new TopicPartition(topic, info.partition()));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        consumer.poll(Duration.ofMillis(200)).forEach(each);
      }
    }
  }
}
