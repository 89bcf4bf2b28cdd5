package io.groundcontrol.worker.internal;

import io.groundcontrol.schema.wire.TopicNames;
import io.groundcontrol.worker.api.StageHandler;
import io.groundcontrol.worker.api.Worker;
import io.groundcontrol.worker.api.WorkerBuilderStep1;
import io.groundcontrol.worker.api.WorkerBuilderStep1.WorkerBuilderStep2;
import io.groundcontrol.worker.api.WorkerBuilderStep1.WorkerBuilderStep3;
import io.groundcontrol.worker.api.WorkerBuilderStep1.WorkerBuilderStep4;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.CommonClientConfigs;

/** Checks each setting as it is given; see {@link WorkerBuilderStep1} for the contract. */
public final class WorkerBuilderImpl
    implements WorkerBuilderStep1, WorkerBuilderStep2, WorkerBuilderStep3, WorkerBuilderStep4 {
  /** The broker's default {@code group.min.session.timeout.ms}: the fastest failover a default broker allows. */
  static final Duration DEFAULT_FAILOVER_TIMEOUT = Duration.ofSeconds(6);
  /** About 292 years. */
  static final Duration LONGEST_CLOSE_TIMEOUT = Duration.ofNanos(Long.MAX_VALUE);
  /**
   * The longest heartbeat interval, started-report delay and failover timeout: far beyond any use,
   * and short enough that the worker's and the coordinator's arithmetic on them cannot overflow.
   */
  static final Duration LONGEST_INTERVAL = Duration.ofDays(1);
  static final Duration SHORTEST_HEARTBEAT_INTERVAL = Duration.ofMillis(1);
  private final KafkaClients.Factory clients;
  private String component;
  private Map<String, Object> kafkaProperties;
  private StageHandler handler;
  private int parallelism = 1;
  private String workerId;
  private TopicNames topicNames = TopicNames.DEFAULT;
  private Duration heartbeatInterval = Duration.ofSeconds(5);
  /** Null until set: then it follows the heartbeat interval, see {@link #defaultStartedReportDelay}. */
  private Duration startedReportDelay;
  private Duration closeTimeout = Duration.ofSeconds(10);
  private Duration failoverTimeout = DEFAULT_FAILOVER_TIMEOUT;
  private Clock clock = Clock.systemUTC();
  private LongSupplier nanoTime = System::nanoTime;
  private WorkerConfig.Tuning tuning = WorkerConfig.Tuning.DEFAULT;
  private boolean eagerRebalances;

  WorkerBuilderImpl(KafkaClients.Factory clients) {
    this.clients = clients;
  }

  /** A builder whose workers talk to Kafka. */
  public static WorkerBuilderStep1 create() {
    return new WorkerBuilderImpl(KafkaClients.KAFKA);
  }

  @Override
  public WorkerBuilderStep2 component(String component) {
    TopicNames.checkComponent(component);
    this.component = component;
    return this;
  }

  @Override
  public WorkerBuilderStep3 bootstrapServers(String bootstrapServers) {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException(
          "bootstrapServers must be host:port pairs separated by commas, but was '" + bootstrapServers + "'");
    }
    return kafkaProperties(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers.strip()));
  }

  @Override
  public WorkerBuilderStep3 kafkaProperties(Map<String, ?> properties) {
    this.kafkaProperties = KafkaClients.checkUserProperties(component, properties);
    return this;
  }

  @Override
  public WorkerBuilderStep3 kafkaProperties(Properties properties) {
    Objects.requireNonNull(properties, "properties must not be null");
    Map<String, Object> copy = new HashMap<>();
    properties.stringPropertyNames().forEach(name -> copy.put(name, properties.getProperty(name)));
    // Entries put() rather than loaded may hold other values, which Kafka takes as a Map's do.
    properties.forEach((key, value) -> {
      if (!(key instanceof String name)) {
        throw new IllegalArgumentException("Expected Kafka property names that are strings, but got " + key
            + " (" + key.getClass().getName() + ")");
      }
      copy.put(name, value);
    });
    return kafkaProperties(copy);
  }

  @Override
  public WorkerBuilderStep4 handler(StageHandler handler) {
    this.handler = Objects.requireNonNull(handler, "handler must not be null");
    return this;
  }

  @Override
  public WorkerBuilderStep4 parallelism(int parallelism) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1, but was " + parallelism);
    }
    this.parallelism = parallelism;
    return this;
  }

  @Override
  public WorkerBuilderStep4 workerId(String workerId) {
    if (workerId == null || workerId.isBlank()) {
      throw new IllegalArgumentException("workerId must not be blank, but was '" + workerId + "'");
    }
    this.workerId = workerId;
    return this;
  }

  @Override
  public WorkerBuilderStep4 topicNames(TopicNames topicNames) {
    this.topicNames = Objects.requireNonNull(topicNames, "topicNames must not be null");
    return this;
  }

  @Override
  public WorkerBuilderStep4 heartbeatInterval(Duration heartbeatInterval) {
    Objects.requireNonNull(heartbeatInterval, "heartbeatInterval must not be null");
    // It goes on the wire in whole milliseconds: under one, 0 ms, and the coordinator would declare
    // every attempt lost at once while the progress thread sent a heartbeat at every look.
    if (heartbeatInterval.compareTo(SHORTEST_HEARTBEAT_INTERVAL) < 0) {
      throw new IllegalArgumentException("heartbeatInterval must be at least 1 ms (it is sent in whole milliseconds), "
          + "but was " + heartbeatInterval);
    }
    requireAtMostADay("heartbeatInterval", heartbeatInterval);
    this.heartbeatInterval = heartbeatInterval;
    return this;
  }

  @Override
  public WorkerBuilderStep4 startedReportDelay(Duration startedReportDelay) {
    Objects.requireNonNull(startedReportDelay, "startedReportDelay must not be null");
    if (startedReportDelay.isNegative()) {
      throw new IllegalArgumentException("startedReportDelay must not be negative, but was " + startedReportDelay);
    }
    requireAtMostADay("startedReportDelay", startedReportDelay);
    this.startedReportDelay = startedReportDelay;
    return this;
  }

  private static void requireAtMostADay(String name, Duration value) {
    if (value.compareTo(LONGEST_INTERVAL) > 0) {
      throw new IllegalArgumentException(name + " must be at most " + LONGEST_INTERVAL + ", but was " + value);
    }
  }

  /**
   * The heartbeat interval, but at most 100 ms. 100 ms is many coordinator commits (the default
   * commit interval is 5 ms), so a stage that ends within it is reported by its final report alone
   * and does not wait for a started report's commit; yet a slower stage still shows as running
   * before people would notice, and the poll loop's 100 ms resolution makes a shorter default
   * little more exact. Never beyond the heartbeat interval: the coordinator then hears from a
   * running attempt no later than it heard its first heartbeat when started went out at once.
   */
  static Duration defaultStartedReportDelay(Duration heartbeatInterval) {
    Duration cap = Duration.ofMillis(100);
    return heartbeatInterval.compareTo(cap) < 0 ? heartbeatInterval : cap;
  }

  @Override
  public WorkerBuilderStep4 closeTimeout(Duration closeTimeout) {
    Objects.requireNonNull(closeTimeout, "closeTimeout must not be null");
    if (closeTimeout.isNegative()) {
      throw new IllegalArgumentException("closeTimeout must not be negative, but was " + closeTimeout);
    }
    // close() counts in nanoseconds: a longer timeout, "however long it takes", saturates there.
    this.closeTimeout = closeTimeout.compareTo(LONGEST_CLOSE_TIMEOUT) > 0 ? LONGEST_CLOSE_TIMEOUT : closeTimeout;
    return this;
  }

  @Override
  public WorkerBuilderStep4 clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock must not be null");
    return this;
  }

  @Override
  public WorkerBuilderStep4 failoverTimeout(Duration failoverTimeout) {
    Objects.requireNonNull(failoverTimeout, "failoverTimeout must not be null");
    if (failoverTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("failoverTimeout must be at least 1 second, but was " + failoverTimeout);
    }
    requireAtMostADay("failoverTimeout", failoverTimeout);
    this.failoverTimeout = failoverTimeout;
    return this;
  }

  @Override
  public WorkerBuilderStep4 eagerRebalances() {
    KafkaClients.checkEagerRebalances(kafkaProperties);
    this.eagerRebalances = true;
    return this;
  }

  /** For tests: the monotonic clock that times delays and intervals, instead of {@link System#nanoTime()}. */
  WorkerBuilderImpl nanoTime(LongSupplier nanoTime) {
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    return this;
  }

  /** For tests: settings no user needs. */
  WorkerBuilderImpl tuning(WorkerConfig.Tuning tuning) {
    this.tuning = Objects.requireNonNull(tuning, "tuning");
    return this;
  }

  @Override
  public Worker open() {
    String host = localHostName();
    String id = workerId != null ? workerId : host + "-" + UUID.randomUUID().toString().substring(0, 8);
    Duration startedDelay =
        startedReportDelay != null ? startedReportDelay : defaultStartedReportDelay(heartbeatInterval);
    WorkerConfig config = new WorkerConfig(
        component, id, host, topicNames, handler, parallelism, heartbeatInterval, startedDelay, closeTimeout,
        failoverTimeout, clock, nanoTime, Map.copyOf(kafkaProperties), eagerRebalances, tuning);
    return WorkerRuntime.open(config, clients);
  }

  private static String localHostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      String fromEnvironment = System.getenv("HOSTNAME");
      return fromEnvironment != null && !fromEnvironment.isBlank() ? fromEnvironment : "unknown-host";
    }
  }
}
