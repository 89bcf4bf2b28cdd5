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
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
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
  private final Thread thread;
  private volatile boolean closed;

  public ApiKeyCache(KafkaConnection kafka, TopicNames topics) {
    this.consumer = new KafkaConsumer<>(KafkaClients.reader(kafka), new StringDeserializer(),
        new ByteArrayDeserializer());
    List<TopicPartition> partitions = ApiKeyRegistry.partitions(consumer, topics);
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
    this.thread = new Thread(() -> follow(partitions, end), "groundcontrol-api-keys");
    thread.setDaemon(true);
    thread.start();
  }

  /** Waits until the keys that existed at start are read; false on timeout. */
  public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
    return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
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

  private void follow(List<TopicPartition> partitions, Map<TopicPartition, Long> end) {
    try {
      while (!closed) {
        Map<String, ApiKey> batch = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
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
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close();
    }
  }

  @Override
  public void close() {
    closed = true;
    consumer.wakeup();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
