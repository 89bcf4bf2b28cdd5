package io.groundcontrol.client;

import io.groundcontrol.apikey.ApiKeySecrets;
import io.groundcontrol.apikey.Role;
import io.groundcontrol.schema.ApiKey;
import io.groundcontrol.schema.wire.AvroSerde;
import io.groundcontrol.schema.wire.TopicNames;
import io.groundcontrol.schema.wire.WireFormatException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The API keys topic (compacted, keyed by key id): issues keys, revokes them, and reads them all.
 * What it writes holds a salted hash of each key's secret, never the key.
 */
public final class ApiKeyRegistry implements AutoCloseable {
  private static final AvroSerde<ApiKey> SERDE = AvroSerde.of(ApiKey.class);

  private final KafkaConnection kafka;
  private final TopicNames topics;
  private final Clock clock;
  private final Producer<String, ApiKey> producer;
  private final WriteWait wait;
  /** Runs between the check that a name is unused and the write of its key; a test's seam for a racing create. */
  private final Runnable beforeWrite;

  /** A registry whose creates and revocations wait as a tool's do ({@link WriteWait#TOOLS}), their reads included. */
  public ApiKeyRegistry(KafkaConnection kafka, TopicNames topics, Clock clock) {
    this(kafka, topics, clock, () -> {});
  }

  ApiKeyRegistry(KafkaConnection kafka, TopicNames topics, Clock clock, Runnable beforeWrite) {
    this(kafka, topics, clock, beforeWrite, WriteWait.TOOLS,
        new KafkaProducer<>(WriteWait.TOOLS.producer(kafka), new StringSerializer(), SERDE.serializer()));
  }

  /**
   * A registry through the given producer, each create or revocation waiting at most {@code wait}:
   * how tests stand in for a cluster that does not answer.
   */
  ApiKeyRegistry(KafkaConnection kafka, TopicNames topics, Clock clock, Runnable beforeWrite, WriteWait wait,
      Producer<String, ApiKey> producer) {
    this.kafka = kafka;
    this.topics = topics;
    this.clock = clock;
    this.beforeWrite = beforeWrite;
    this.wait = wait;
    this.producer = producer;
  }

  /**
   * Issues and stores a key; returns the key, which exists nowhere else: show it once. A create
   * racing with another of the same name reads the topic after its write, and the key written
   * first keeps the name (see {@link ApiKeyNameRace}); the other withdraws its key and fails.
   *
   * @throws IllegalArgumentException if the name is blank, or a key has it (revoked ones count)
   * @throws UncheckedKeyException if the key was written but the read after it got no answer in time
   */
  public String create(String name, Role role) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("Expected a name for the key (who or what it is for), but got none");
    }
    ApiKeySecrets.Issued issued = ApiKeySecrets.issue(name, role.stored(), clock.instant());
    // One wait for Kafka: the read for the name, the write and the read after it together.
    WriteWait.Write write = wait.begin("API key '" + name + "' (id " + issued.stored().getId() + ")", "It may still be "
        + "written, and then holds the name '" + name + "' with a secret nobody was shown: if `apikey list` shows it, "
        + "revoke it and create the key under another name");
    requireUnused(write.step(() -> read(kafka, topics, write.deadline())).values(), name);
    beforeWrite.run();
    RecordMetadata written = write.await(producer.send(new ProducerRecord<>(topics.apiKeys(), issued.stored().getId(),
        issued.stored())));
    Optional<ApiKey> first;
    try {
      first = write.step(() -> earlierHolder(issued.stored(), written, write.deadline()));
    } catch (WriteNotTakenException e) {
      String id = issued.stored().getId();
      throw new UncheckedKeyException("API key '" + name + "' (id " + id + ") was written, but Kafka did not answer "
          + "the read after it (" + e.reason() + ") that makes sure no other key took the name first, so its secret "
          + "is not shown: revoke it (`apikey revoke " + id + "`) and create the key under another name", e);
    }
    if (first.isPresent()) {
      // Never shown to anyone: withdrawn rather than revoked, so that it holds no name.
      wait.begin("withdrawal of API key " + issued.stored().getId(), "It may still be written; until it is, that key "
          + "holds the name '" + name + "' with a secret nobody was shown")
          .await(producer.send(new ProducerRecord<>(topics.apiKeys(), issued.stored().getId(), null)));
      requireUnused(List.of(first.get()), name);
    }
    return issued.key();
  }

  /**
   * A key was written but could not be checked against a create racing for its name, so it must
   * not be used; the message says which key and what to do.
   */
  public static final class UncheckedKeyException extends IllegalStateException {
    UncheckedKeyException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Reads the topic to its end: the key that took {@code ours}'s name before it, if any. */
  private Optional<ApiKey> earlierHolder(ApiKey ours, RecordMetadata written, ReadDeadline deadline) {
    ApiKeyNameRace race = new ApiKeyNameRace();
    readToEnd(kafka, topics, deadline, record -> {
      ApiKey key = decode(record);
      if (key != null || record.value() == null) {
        race.read(record.key(), key, record.partition(), record.offset());
      }
    });
    return race.earlierHolder(ours, written.partition(), written.offset());
  }

  /**
   * Refuses a name that a key in {@code keys} has: the audit log records a key's name as the
   * actor, so two keys of one name (a leaked key revoked, and its replacement) could not be told apart.
   */
  static void requireUnused(Collection<ApiKey> keys, String name) {
    holder(keys, name).ifPresent(key -> {
      throw new IllegalArgumentException("Expected a key name no key has had, but key " + key.getId()
          + (key.getRevokedAt() == null ? "" : " (revoked)") + " is named '" + key.getName()
          + "'; the audit log names a key's actions by its name, so choose another");
    });
  }

  /** The key in {@code keys} named {@code name}, whatever its case, revoked keys included. */
  public static Optional<ApiKey> holder(Collection<ApiKey> keys, String name) {
    return keys.stream().filter(key -> sameName(key.getName(), name)).findFirst();
  }

  /** Whether two key names are one, whatever their case and surrounding spaces. */
  static boolean sameName(String a, String b) {
    return a.strip().equalsIgnoreCase(b.strip());
  }

  /**
   * Revokes the key with id {@code id} (the 12 hex digits after {@code gc_}); every instance refuses it
   * once it has read the revocation, within about a second.
   *
   * @throws IllegalArgumentException if no such key exists
   */
  public ApiKey revoke(String id) {
    // One wait for Kafka: the read of the key and the write together.
    WriteWait.Write write = wait.begin("revocation of API key " + id,
        "It may still be written: revoking the key again is safe, and `apikey list` shows whether it is revoked");
    ApiKey existing = write.step(() -> read(kafka, topics, write.deadline())).get(id);
    if (existing == null) {
      throw new IllegalArgumentException("Expected an API key with id '" + id + "', but there is none (see `apikey list`)");
    }
    if (existing.getRevokedAt() == null) {
      existing.setRevokedAt(clock.instant());
      write.await(producer.send(new ProducerRecord<>(topics.apiKeys(), existing.getId(), existing)));
    }
    return existing;
  }

  /** Every key ever issued, by id, revoked ones included. */
  public Map<String, ApiKey> readAll() {
    return read(kafka, topics);
  }

  /** Every key on the topic, by id, read to its current end. */
  static Map<String, ApiKey> read(KafkaConnection kafka, TopicNames topics) {
    return read(kafka, topics, ReadDeadline.NONE);
  }

  /**
   * As {@link #read(KafkaConnection, TopicNames)}, by {@code deadline}.
   *
   * @throws org.apache.kafka.common.errors.TimeoutException if Kafka did not answer in time
   */
  private static Map<String, ApiKey> read(KafkaConnection kafka, TopicNames topics, ReadDeadline deadline) {
    Map<String, ApiKey> keys = new LinkedHashMap<>();
    readToEnd(kafka, topics, deadline, record -> apply(keys, record));
    return keys;
  }

  /**
   * Gives {@code each} every record of the topic up to its current end, in each partition's order.
   *
   * @throws org.apache.kafka.common.errors.TimeoutException if Kafka did not answer by {@code deadline}
   */
  private static void readToEnd(KafkaConnection kafka, TopicNames topics, ReadDeadline deadline,
      Consumer<ConsumerRecord<String, byte[]>> each) {
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
        KafkaClients.reader(kafka), new StringDeserializer(),
        new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          partitions(consumer, topics, deadline.remaining(TopicPartitions.LOOKUP_TIMEOUT));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, deadline.remaining());
      while (partitions.stream().anyMatch(p -> consumer.position(p, deadline.remaining()) < end.get(p))) {
        if (deadline.passed()) {
          throw new org.apache.kafka.common.errors.TimeoutException("Expected to read topic " + topics.apiKeys()
              + " to its end within " + WriteWait.phrase(deadline.limit()) + ", but Kafka did not answer in time");
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          each.accept(record);
        }
      }
    }
  }

  static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, TopicNames topics) {
    return partitions(consumer, topics, TopicPartitions.LOOKUP_TIMEOUT);
  }

  private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, TopicNames topics, Duration lookup) {
    List<TopicPartition> partitions = TopicPartitions.of(consumer, topics.apiKeys(), lookup);
    if (partitions.isEmpty()) {
      throw new MissingTopicException("Expected topic " + topics.apiKeys() + " to exist, but it does not: "
          + "has a coordinator of this version run against this cluster?");
    }
    return partitions;
  }

  /** Applies one record of the topic to {@code keys}; undecodable records are skipped. */
  static void apply(Map<String, ApiKey> keys, ConsumerRecord<String, byte[]> record) {
    ApiKey key = decode(record);
    if (record.value() == null) {
      keys.remove(record.key());
    } else if (key != null) {
      keys.put(key.getId(), key);
    }
  }

  /** The key in {@code record}; null for a tombstone or a record this version cannot decode, which grants nothing. */
  private static ApiKey decode(ConsumerRecord<String, byte[]> record) {
    if (record.value() == null) {
      return null;
    }
    try {
      return SERDE.deserializer().deserialize(record.topic(), record.value());
    } catch (WireFormatException e) {
      return null;
    }
  }

  /** For listing: the keys in creation order. */
  public static List<ApiKey> byCreation(Collection<ApiKey> keys) {
    List<ApiKey> sorted = new ArrayList<>(keys);
    sorted.sort(java.util.Comparator.comparing(ApiKey::getCreatedAt));
    return sorted;
  }

  @Override
  public void close() {
    producer.close();
  }
}
