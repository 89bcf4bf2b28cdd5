package io.groundcontrol.worker.internal;

import io.groundcontrol.schema.StageReport;
import io.groundcontrol.schema.wire.AvroSerde;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The worker's Kafka clients and their settings. Instruction values are read as bytes and decoded by
 * the worker, so that an undecodable record is skipped instead of failing the poll.
 */
final class KafkaClients {
  private KafkaClients() {}

  /** Creates the clients; tests pass one returning {@code MockConsumer} and {@code MockProducer}. */
  interface Factory {
    Consumer<String, byte[]> consumer(Map<String, Object> properties);

    Producer<String, StageReport> producer(Map<String, Object> properties);
  }

  static final Factory KAFKA = new Factory() {
    @Override
    public Consumer<String, byte[]> consumer(Map<String, Object> properties) {
      return new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public Producer<String, StageReport> producer(Map<String, Object> properties) {
      return new KafkaProducer<>(properties, new StringSerializer(), AvroSerde.of(StageReport.class).serializer());
    }
  };

  private static final String SERDE = "the worker reads and writes the wire format itself";
  private static final String BY_MISSION =
      "reports must land on the partition of their mission id, murmur2 of the key, where the coordinator reads them";

  /** Settings a user may not give at all, with why. */
  private static final Map<String, String> NOT_SETTABLE = Map.of(
      ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, SERDE,
      ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, SERDE,
      ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, SERDE,
      ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, SERDE,
      ProducerConfig.PARTITIONER_CLASS_CONFIG, BY_MISSION);

  /** Consumer settings the worker's guarantees rest on, with why; a user may repeat them but not change them. */
  private static Map<String, Fixed> fixedForConsumer(String component) {
    return Map.of(
        ConsumerConfig.GROUP_ID_CONFIG,
        new Fixed(component, "the consumer group is the component"),
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
        new Fixed("false", "the worker commits offsets itself, after reporting"),
        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
        new Fixed("read_committed", "the coordinator writes instructions in transactions"));
  }

  /** Producer settings the worker's guarantees rest on. */
  private static final Map<String, Fixed> FIXED_FOR_PRODUCER = Map.of(
      ProducerConfig.ACKS_CONFIG,
      new Fixed("all", "a report must be durable before its instruction is committed"),
      ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
      new Fixed("true", "retries must not reorder or duplicate the reports of an attempt"),
      ProducerConfig.PARTITIONER_IGNORE_KEYS_CONFIG,
      new Fixed("false", BY_MISSION));

  private record Fixed(String value, String reason) {}

  /**
   * Checks user-given properties: {@code bootstrap.servers} is present, and no setting the worker
   * relies on is changed.
   */
  static Map<String, Object> checkUserProperties(String component, Map<String, ?> properties) {
    if (properties == null) {
      throw new NullPointerException("Expected kafka properties, but got null");
    }
    Map<String, Object> copy = new HashMap<>();
    Map<String, Fixed> fixed = new HashMap<>(fixedForConsumer(component));
    fixed.putAll(FIXED_FOR_PRODUCER);
    properties.forEach((key, value) -> {
      if (key == null || value == null) {
        throw new NullPointerException("Expected kafka properties without nulls, but '" + key + "' -> " + value);
      }
      String notSettable = NOT_SETTABLE.get(key);
      if (notSettable != null) {
        throw new IllegalArgumentException("Kafka property '" + key + "' must not be set: " + notSettable);
      }
      Fixed required = fixed.get(key);
      if (required != null && !sameValue(key, required.value(), value)) {
        throw new IllegalArgumentException(
            "Kafka property '" + key + "' must be '" + required.value() + "' (" + required.reason()
                + "), but was '" + value + "'");
      }
      copy.put(key, value);
    });
    Object servers = copy.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    if (servers == null || servers.toString().isBlank()) {
      throw new IllegalArgumentException(
          "Expected kafka properties to contain 'bootstrap.servers', but it is "
              + (servers == null ? "missing" : "blank"));
    }
    return copy;
  }

  private static boolean sameValue(String key, String required, Object given) {
    String value = given.toString().trim();
    if (key.equals(ProducerConfig.ACKS_CONFIG) && value.equals("-1")) {
      return true;
    }
    return key.equals(ConsumerConfig.GROUP_ID_CONFIG)
        ? value.equals(required)
        : value.toLowerCase(Locale.ROOT).equals(required);
  }

  /**
   * With eager rebalances: cooperative-sticky first, so that a group of Java workers alone keeps
   * using it (and admits a Java worker without the option, which offers only it), then range, the
   * one librdkafka's default also offers, which the group uses once such a worker joins. Listing an
   * eager assignor makes the consumer rebalance eagerly, whichever of the two the group uses.
   */
  static final List<String> EAGER_ASSIGNORS =
      List.of(CooperativeStickyAssignor.class.getName(), RangeAssignor.class.getName());

  /** Checks that the user's properties leave {@code eagerRebalances()} the assignors to choose. */
  static void checkEagerRebalances(Map<String, Object> properties) {
    if (properties.containsKey(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG)) {
      throw new IllegalArgumentException("eagerRebalances() chooses the assignors, but kafka properties also set '"
          + ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG + "'; give one or the other");
    }
    if (!classicProtocol(properties)) {
      throw new IllegalArgumentException("eagerRebalances() needs the classic group protocol, but kafka property '"
          + ConsumerConfig.GROUP_PROTOCOL_CONFIG + "' is '" + properties.get(ConsumerConfig.GROUP_PROTOCOL_CONFIG)
          + "', whose broker-side assignment takes no assignor");
    }
  }

  private static boolean classicProtocol(Map<String, Object> properties) {
    Object protocol = properties.get(ConsumerConfig.GROUP_PROTOCOL_CONFIG);
    return protocol == null || protocol.toString().trim().equalsIgnoreCase("classic");
  }

  /** How old a worker consumer's metadata may grow: how soon a paused one sees its topic deleted. */
  static final Duration METADATA_MAX_AGE = Duration.ofSeconds(10);

  static Map<String, Object> consumerProperties(WorkerConfig config) {
    Map<String, Object> properties = new HashMap<>();
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "groundcontrol-worker-" + config.workerId() + "-consumer");
    // A worker whose read-ahead is full fetches nothing, so no fetch error tells it that its
    // instruction topic was deleted: only its next metadata refresh does (5 min by Kafka's default),
    // and the coordinator waits 20 s for the group to let go of the topic before creating it again.
    properties.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, (int) METADATA_MAX_AGE.toMillis());
    if (classicProtocol(config.kafkaProperties())) {
      // KIP-848's "consumer" protocol assigns on the broker and rejects this setting.
      properties.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
          config.eagerRebalances() ? EAGER_ASSIGNORS : CooperativeStickyAssignor.class.getName());
      // How fast a dead worker's partitions move to another. The broker's default
      // group.min.session.timeout.ms is 6 s; under the consumer protocol the session timeout is the
      // broker's (45 s at least by default) and the client rejects these settings.
      long sessionMs = config.failoverTimeout().toMillis();
      properties.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) sessionMs);
      properties.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(250, sessionMs / 4));
    }
    properties.putAll(config.kafkaProperties());
    fixedForConsumer(config.component()).forEach((key, fixed) -> properties.put(key, fixed.value()));
    return properties;
  }

  /**
   * For {@link MovedAttemptCancels}: the worker consumer's settings (login, isolation) without its
   * group's, since it assigns its partitions itself and commits nothing.
   */
  static Map<String, Object> cancelReaderProperties(WorkerConfig config) {
    Map<String, Object> properties = consumerProperties(config);
    properties.keySet().removeIf(key -> key.startsWith("group.") || GROUP_ONLY.contains(key));
    properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "groundcontrol-worker-" + config.workerId() + "-cancel-reader");
    return properties;
  }

  private static final Set<String> GROUP_ONLY = Set.of(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
      ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG);

  static Map<String, Object> producerProperties(WorkerConfig config) {
    Map<String, Object> properties = new HashMap<>();
    properties.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    properties.put(ProducerConfig.CLIENT_ID_CONFIG, "groundcontrol-worker-" + config.workerId() + "-producer");
    properties.putAll(config.kafkaProperties());
    FIXED_FOR_PRODUCER.forEach((key, fixed) -> properties.put(key, fixed.value()));
    return properties;
  }
}
