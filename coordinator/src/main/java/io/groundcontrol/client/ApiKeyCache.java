package io.groundcontrol.client;

import io.groundcontrol.apikey.ApiKeySecrets;
import io.groundcontrol.apikey.Role;
import io.groundcontrol.schema.ApiKey;
import io.groundcontrol.schema.wire.TopicNames;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Every API key, kept by each instance from the compacted keys topic: read from the beginning at
 * start, then followed, so a key created or revoked anywhere counts everywhere within a poll.
 * Holds salted hashes only.
 */
public final class ApiKeyCache implements AutoCloseable {
  /** Who a key belongs to, once it checked out. */
  public record Principal(String keyId, String name, Role role) {}

  private final KafkaConsumer<String, byte[]> consumer;
  private final Map<String, ApiKey> keys = new ConcurrentHashMap<>();
  private final CountDownLatch caughtUp = new CountDownLatch(1);
  private final TopicFollower follower;

  public ApiKeyCache(KafkaConnection kafka, TopicNames topics) {
    this.consumer = new KafkaConsumer<>(KafkaClients.reader(kafka), new StringDeserializer(),
        new ByteArrayDeserializer());
    List<TopicPartition> partitions = ApiKeyRegistry.partitions(consumer, topics);
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
    this.follower = new TopicFollower("groundcontrol-api-keys", consumer, records -> apply(records, partitions, end));
  }

  /** Waits until the keys that existed at start are read; false on timeout. */
  public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
    return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Whether the keys that existed at start are read. */
  public boolean caughtUp() {
    return caughtUp.getCount() == 0;
  }

  /** The holder of {@code key}, if it is a known, unrevoked key whose secret matches. */
  public Optional<Principal> authenticate(String key) {
    Optional<String> id = ApiKeySecrets.idOf(key);
    if (id.isEmpty()) {
      return Optional.empty();
    }
    ApiKey stored = keys.get(id.get());
    if (stored == null || stored.getRevokedAt() != null || !ApiKeySecrets.matches(key, stored)) {
      return Optional.empty();
    }
    return Optional.of(new Principal(stored.getId(), stored.getName(), Role.of(stored.getRole())));
  }

  private void apply(ConsumerRecords<String, byte[]> records, List<TopicPartition> partitions,
      Map<TopicPartition, Long> end) {
    Map<String, ApiKey> batch = new HashMap<>();
    for (ConsumerRecord<String, byte[]> record : records) {
      ApiKeyRegistry.apply(batch, record);
      if (record.value() == null) {
        keys.remove(record.key());
      }
    }
    keys.putAll(batch);
    if (caughtUp.getCount() > 0 && partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p))) {
      caughtUp.countDown();
    }
  }

  @Override
  public void close() {
    follower.close();
  }
}
