package io.groundcontrol.coordinator;

import io.groundcontrol.client.KafkaConnection;
import io.groundcontrol.mission.MissionLimits;
import io.groundcontrol.schema.wire.TopicNames;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * How one coordinator instance runs. Every instance of one installation shares the application id
 * and the topic names; Kafka Streams spreads the partitions over them.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param applicationId Kafka Streams application id; also the consumer group and store prefix
 * @param topics topic names
 * @param stateDir where the mission stores live on local disk
 * @param exactlyOnce exactly_once_v2 when true (the default), at_least_once otherwise
 * @param commitIntervalMs how often offsets, stores and output are committed; under exactly-once
 *     this bounds how long an instruction waits before workers can read it
 * @param streamThreads processing threads in this instance
 * @param overrides any further Kafka Streams properties, applied last
 * @param clientSettings Kafka client settings of the cluster (security, timeouts), given to every
 *     client of the instance; the coordinator's own settings above win over them
 * @param limits bounds missions are held to, such as the size of a stage's outputs
 */
public record CoordinatorConfig(
    String bootstrapServers,
    String applicationId,
    TopicNames topics,
    Path stateDir,
    boolean exactlyOnce,
    long commitIntervalMs,
    int streamThreads,
    Map<String, String> overrides,
    Map<String, String> clientSettings,
    MissionLimits limits) {

  /**
   * Default commit interval. Workers read instructions only once the transaction commits. Under
   * exactly-once a stream thread commits sooner whenever its input is drained (see
   * {@link #COMMIT_WHEN_DRAINED_CONFIG}), so the interval bounds only a thread that never drains;
   * see README "Latency".
   */
  public static final long DEFAULT_COMMIT_INTERVAL_MS = 20;

  /**
   * The producer's first retry backoff at most: a requested commit can begin right after the one
   * before, and its offset commit is retried until the broker has written the previous markers.
   */
  static final long RETRY_BACKOFF_MS = 5;

  /**
   * The longest an idle poll waits, at most: Kafka Streams commits, and runs the wake that commits a
   * transaction held back for reports (see {@link #COMMIT_WHEN_DRAINED_CONFIG}), only between polls.
   */
  static final long POLL_MS = 5;

  /**
   * Kafka Streams property (an override): {@code true} to commit, besides the interval, as soon as a
   * stream thread has no input left and no report awaited on what its last commit released. On by
   * default under exactly-once; see README "Latency".
   */
  public static final String COMMIT_WHEN_DRAINED_CONFIG = "groundcontrol.commit.when.drained";

  /**
   * The longest the stream thread waits, under exactly-once, for Kafka to answer a starting task's
   * committed offsets before it sets the task aside until its next loop (the main consumer's {@code
   * default.api.timeout.ms}; Kafka's default is 60 s). Kafka holds the answer while a lost instance's
   * transaction holds those offsets, up to 20 s after the loss, and every ask that times out costs
   * each loop of the thread this long: the shorter, the faster its own missions go on meanwhile.
   * An answer that comes later is kept for the next ask of the same partitions; see README,
   * Failover time.
   */
  static final int COMMITTED_OFFSETS_WAIT_MS = 500;

  /** A setting of the earlier drained-commit rule, refused by name so that setting it is not silently ignored. */
  static final String RETIRED_DRAINED_IDLE_CONFIG = "groundcontrol.commit.when.drained.idle.ms";

  /** Checks every value. */
  public CoordinatorConfig {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(applicationId, "applicationId");
    Objects.requireNonNull(topics, "topics");
    Objects.requireNonNull(stateDir, "stateDir");
    overrides = Map.copyOf(overrides);
    clientSettings = new KafkaConnection(bootstrapServers, clientSettings).settings();
    Objects.requireNonNull(limits, "limits");
    if (commitIntervalMs < 1) {
      throw new IllegalArgumentException("commitIntervalMs must be at least 1, but was " + commitIntervalMs);
    }
    if (streamThreads < 1) {
      throw new IllegalArgumentException("streamThreads must be at least 1, but was " + streamThreads);
    }
    checkOverrides(overrides);
  }

  /**
   * Checks Kafka Streams overrides up front: Groundcontrol's own keys (processors read them, where a
   * bad value would stop a task) and the types of Kafka Streams' own (a wrong one would stop the
   * coordinator as it starts, with a stack trace).
   *
   * @throws IllegalArgumentException saying which key and what was wrong
   */
  public static void checkOverrides(Map<String, String> overrides) {
    String drained = overrides.get(COMMIT_WHEN_DRAINED_CONFIG);
    if (drained != null && !drained.equals("true") && !drained.equals("false")) {
      throw new IllegalArgumentException(
          "Expected " + COMMIT_WHEN_DRAINED_CONFIG + " to be true or false, but got '" + drained + "'");
    }
    if (overrides.containsKey(RETIRED_DRAINED_IDLE_CONFIG)) {
      throw new IllegalArgumentException(RETIRED_DRAINED_IDLE_CONFIG + " is no longer a setting: a drained stream "
          + "thread now commits once the reports on its last commit's instructions are in (README, Latency)");
    }
    StaticMembership.check(overrides);
    Properties typed = new Properties();
    typed.putAll(overrides);
    typed.putIfAbsent(StreamsConfig.APPLICATION_ID_CONFIG, "check");
    typed.putIfAbsent(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "check:9092");
    try {
      // Parsed, not constructed: a StreamsConfig would log every value, a second dump at each start.
      StreamsConfig.configDef().parse(typed);
    } catch (ConfigException e) {
      throw new IllegalArgumentException("Expected Kafka Streams settings of the right type: " + e.getMessage());
    }
  }

  /** A config for a cluster that needs no client settings (plaintext, no authentication). */
  public CoordinatorConfig(
      String bootstrapServers, String applicationId, TopicNames topics, Path stateDir, boolean exactlyOnce,
      long commitIntervalMs, int streamThreads, Map<String, String> overrides) {
    this(bootstrapServers, applicationId, topics, stateDir, exactlyOnce, commitIntervalMs, streamThreads, overrides,
        Map.of());
  }

  /** A config with the default {@link MissionLimits}. */
  public CoordinatorConfig(
      String bootstrapServers, String applicationId, TopicNames topics, Path stateDir, boolean exactlyOnce,
      long commitIntervalMs, int streamThreads, Map<String, String> overrides, Map<String, String> clientSettings) {
    this(bootstrapServers, applicationId, topics, stateDir, exactlyOnce, commitIntervalMs, streamThreads, overrides,
        clientSettings, MissionLimits.DEFAULTS);
  }

  /** The same config with other mission limits. */
  public CoordinatorConfig withLimits(MissionLimits other) {
    return new CoordinatorConfig(bootstrapServers, applicationId, topics, stateDir, exactlyOnce, commitIntervalMs,
        streamThreads, overrides, clientSettings, other);
  }

  /**
   * The application id of the installation on {@code topics} unless told otherwise: {@code
   * <prefix>-coordinator}. Each installation needs its own: two in one Kafka Streams group stall
   * each other and would share their stores.
   */
  public static String defaultApplicationId(TopicNames topics) {
    return topics.prefix() + "-coordinator";
  }

  /** The defaults for one installation on {@code bootstrapServers}, keeping state under {@code stateDir}. */
  public static CoordinatorConfig defaults(String bootstrapServers, Path stateDir) {
    return new CoordinatorConfig(
        bootstrapServers, defaultApplicationId(TopicNames.DEFAULT), TopicNames.DEFAULT, stateDir, true,
        DEFAULT_COMMIT_INTERVAL_MS, 1, Map.of());
  }

  /** The same config keeping its stores in {@code dir}, e.g. for a second instance on one machine. */
  public CoordinatorConfig withStateDir(Path dir) {
    return new CoordinatorConfig(bootstrapServers, applicationId, topics, dir, exactlyOnce, commitIntervalMs,
        streamThreads, overrides, clientSettings, limits);
  }

  /** The same config with another topic prefix and application id, e.g. for a test or a replay. */
  public CoordinatorConfig withTopics(TopicNames names, String appId) {
    return new CoordinatorConfig(
        bootstrapServers, appId, names, stateDir, exactlyOnce, commitIntervalMs, streamThreads, overrides,
        clientSettings, limits);
  }

  /** The same config for a cluster reached through {@code kafka} (its address and client settings). */
  public CoordinatorConfig withConnection(KafkaConnection kafka) {
    return new CoordinatorConfig(kafka.bootstrapServers(), applicationId, topics, stateDir, exactlyOnce,
        commitIntervalMs, streamThreads, overrides, kafka.settings(), limits);
  }

  /** The cluster: address and client settings, for the instance's own admin client and for tools. */
  public KafkaConnection connection() {
    return new KafkaConnection(bootstrapServers, clientSettings);
  }

  /** The same config with one more Kafka Streams property, e.g. {@code application.server}. */
  public CoordinatorConfig withOverride(String key, String value) {
    Map<String, String> more = new java.util.HashMap<>(overrides);
    more.put(key, value);
    return new CoordinatorConfig(
        bootstrapServers, applicationId, topics, stateDir, exactlyOnce, commitIntervalMs, streamThreads, more,
        clientSettings, limits);
  }

  /** The Kafka Streams properties. */
  public Properties streamsProperties() {
    Properties props = new Properties();
    // Unprefixed client settings reach every client Kafka Streams creates (consumers, producer, admin).
    props.putAll(clientSettings);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
        exactlyOnce ? StreamsConfig.EXACTLY_ONCE_V2 : StreamsConfig.AT_LEAST_ONCE);
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs);
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streamThreads);
    // Commands and reports are independent inputs: never hold one back waiting for the other.
    props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
    // Kafka Streams sets linger.ms=100 for its producer. Under at-least-once a hand-off must not
    // wait for a batch. Under exactly-once nothing is readable before the commit, which flushes the
    // producer, so lingering up to the commit interval costs no latency and sends a commit's events,
    // instructions and changelog writes in fewer requests (64 in flight: 1,775 -> 3,525 completions/s).
    props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), exactlyOnce ? commitIntervalMs : 0);
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 100);
    // Kafka Streams commits only between polls, and a poll with no input waits poll.ms (100 ms by
    // default): an input processed just after a commit left its instructions uncommitted for that
    // long, whatever the commit interval. A short poll bounds the wait (hand-off p50 105 ms -> 8 ms
    // with one mission in flight; BENCHMARKS.md), and lets the wake of a held-back transaction run on time.
    props.put(StreamsConfig.POLL_MS_CONFIG, Math.min(commitIntervalMs, POLL_MS));
    // A stream thread commits as soon as it has no input left and no report is awaited on what its
    // last commit released (or that commit was 5 ms ago), instead of waiting a poll.ms for the
    // interval (one mission in flight: hand-off p50 8.7-9.6 -> 2.3-3.5 ms). Under load a transaction
    // waits for the last report on the one before: 16 and 64 in flight ran 30-90% more completions/s
    // than with the earlier rule (a commit after 2 ms without output); BENCHMARKS.md, issue 16.
    props.put(COMMIT_WHEN_DRAINED_CONFIG, String.valueOf(exactlyOnce));
    // A requested commit does not restart Kafka Streams' commit interval, so another transaction
    // (often offsets only) can begin a millisecond after one ends; the broker answers its offset
    // commit CONCURRENT_TRANSACTIONS until the previous markers are written, and the producer retries
    // after retry.backoff.ms, 100 ms by default, with the stream thread blocked. Retrying after 5 ms
    // instead took the idle hand-off's p99 from ~100 ms to 14-17 ms. Retries still
    // back off exponentially up to retry.backoff.max.ms (1 s), so an unreachable broker is not hammered.
    props.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG),
        Math.min(commitIntervalMs, RETRY_BACKOFF_MS));
    // How long a dead instance keeps its missions before a survivor takes them over (Kafka's
    // default is 45 s): the failover time of the coordinator.
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 2_000);
    if (exactlyOnce) {
      // A task taken over from a lost instance starts only once Kafka answers its committed offsets,
      // which it does not while the lost instance's transaction is open (KIP-447); the stream thread
      // asks with its own transaction open. Giving up after a short wait sets the task aside, so the
      // thread commits and runs its own tasks, and asks again on its next loop (README, Failover time).
      props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG),
          COMMITTED_OFFSETS_WAIT_MS);
    }
    // A record that cannot be decoded or given to a mission goes to the dead-letter topic with its
    // origin and the exception in headers (KIP-1034); the coordinator keeps going. A failure of Kafka
    // or a state store met meanwhile (a refused write surfaces at the next send) fails the thread instead.
    props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetters.Deserialization.class);
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetters.Processing.class);
    props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, topics.deadLetters());
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
    // A record with a negative timestamp (none set by its producer) would stop the thread reading it.
    props.put(StreamsConfig.DEFAULT_TIMESTAMP_EXTRACTOR_CLASS_CONFIG, InvalidTimestamps.Extractor.class);
    props.put(StreamsConfig.GLOBAL_CONSUMER_PREFIX + ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG,
        InvalidTimestamps.GlobalInterceptor.class.getName());
    // A write Kafka refuses with a retriable error is retried (the task starts again from its last
    // commit), as by Kafka's default; any other (a record too large) is named in one log line, topic,
    // key and size, and fails the thread: see ProductionErrors for why never CONTINUE.
    props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, ProductionErrors.class);
    // An instance taking over tasks opens their stores with its own missions waiting: see StoreOpenSettings.
    props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, StoreOpenSettings.class);
    props.putAll(overrides);
    // Names the record schemas this instance writes, and its build's, to instances about to join the group (SchemaSetTag).
    props.put(StreamsConfig.CLIENT_ID_CONFIG, SchemaSetTag.clientId(
        overrides.get(StreamsConfig.CLIENT_ID_CONFIG), applicationId, SchemaSetTag.Schemas.ofThisProcess()));
    return props;
  }

  /** Names the cluster and settings, never a client setting's or override's value (they may hold secrets). */
  @Override
  public String toString() {
    return "CoordinatorConfig[" + connection() + ", applicationId=" + applicationId + ", topics=" + topics.prefix()
        + ", stateDir=" + stateDir + ", exactlyOnce=" + exactlyOnce + ", commitIntervalMs=" + commitIntervalMs
        + ", streamThreads=" + streamThreads + ", overrides=" + overrides.keySet() + "]";
  }
}
