package io.groundcontrol.bench;

import io.groundcontrol.client.ComponentPublisher;
import io.groundcontrol.client.KafkaConnection;
import io.groundcontrol.client.PlanPublisher;
import io.groundcontrol.schema.ComponentSettings;
import io.groundcontrol.coordinator.Coordinator;
import io.groundcontrol.coordinator.CoordinatorConfig;
import io.groundcontrol.coordinator.CoordinatorTopology;
import io.groundcontrol.coordinator.TopicSetup;
import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.wire.TopicNames;
import io.groundcontrol.worker.api.StageHandler;
import io.groundcontrol.worker.api.Worker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * One Groundcontrol installation on topics of its own: plans applied, a coordinator started
 * in-process, workers opened through the worker SDK, and a {@link MissionDriver}. Closing it stops
 * everything and deletes its topics and state, so the next scenario starts from nothing.
 */
final class Installation implements AutoCloseable {
  private final KafkaConnection bootstrapServers;
  private final TopicNames topics;
  private final Path stateDir;
  private final Coordinator coordinator;
  private final List<Worker> workers = new ArrayList<>();
  private final MissionDriver driver;
  private final StreamsProbe probe;
  private final InputMix inputMix;
  /** Client properties that put the trace probe on a client; empty unless traced. */
  private final Map<String, Object> traceProbe;

  private Installation(
      KafkaConnection bootstrapServers, TopicNames topics, Path stateDir, Coordinator coordinator, boolean traced) {
    this.bootstrapServers = bootstrapServers;
    this.traceProbe = traced ? Map.of(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, TraceInterceptor.class.getName()) : Map.of();
    this.topics = topics;
    this.stateDir = stateDir;
    this.coordinator = coordinator;
    this.probe = new StreamsProbe(coordinator.streams(), coordinator.config().applicationId());
    this.driver = new MissionDriver(bootstrapServers, topics, topics.prefix());
    this.inputMix = new InputMix(bootstrapServers, CoordinatorTopology.build(coordinator.config()), topics.stageReports(),
        topics.missionCommands());
  }

  /**
   * Applies {@code plans}, then starts a coordinator with the run's settings changed by {@code tune}.
   *
   * @param name unique within the run; becomes the topic prefix and application id
   */
  static Installation start(
      BenchSettings settings, KafkaConnection bootstrapServers, String name, List<Plan> plans,
      UnaryOperator<CoordinatorConfig> tune) {
    return start(settings, bootstrapServers, name, plans, List.of(), tune, false);
  }

  /** As {@link #start(BenchSettings, KafkaConnection, String, List, UnaryOperator)}, with component settings (caps) applied first. */
  static Installation start(
      BenchSettings settings, KafkaConnection bootstrapServers, String name, List<Plan> plans,
      List<ComponentSettings> components, UnaryOperator<CoordinatorConfig> tune) {
    return start(settings, bootstrapServers, name, plans, components, tune, false);
  }

  /**
   * As {@link #start(BenchSettings, KafkaConnection, String, List, List, UnaryOperator)}; if {@code traced}, the
   * coordinator's and the workers' clients carry the probes of {@link HandoffTrace}.
   */
  static Installation start(
      BenchSettings settings, KafkaConnection bootstrapServers, String name, List<Plan> plans,
      List<ComponentSettings> components, UnaryOperator<CoordinatorConfig> tune, boolean traced) {
    TopicNames topics = new TopicNames(name);
    Path stateDir = Scratch.directory("gc-bench-state-");
    try (PlanPublisher publisher = new PlanPublisher(bootstrapServers, topics, settings.partitions())) {
      plans.forEach(plan -> publisher.apply(plan, "bench"));
    }
    if (!components.isEmpty()) {
      try (ComponentPublisher publisher = new ComponentPublisher(bootstrapServers, topics, settings.partitions())) {
        publisher.apply(components);
      }
    }
    CoordinatorConfig config = tune.apply(settings.coordinatorConfig(bootstrapServers, stateDir)
        .withTopics(topics, name + "-coordinator"));
    if (traced) {
      config = withTraceProbes(config);
    }
    Coordinator coordinator = Coordinator.start(config, new TopicSetup(settings.partitions(), (short) 1),
        Duration.ofSeconds(120), traced ? new TracingClientSupplier() : null);
    return new Installation(bootstrapServers, topics, stateDir, coordinator, traced);
  }

  /** The probes on the clients a hand-off passes: the main consumer (reports) and the producer (everything written). */
  static CoordinatorConfig withTraceProbes(CoordinatorConfig config) {
    Map<String, String> overrides = new HashMap<>(config.overrides());
    overrides.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG), TraceInterceptor.class.getName());
    overrides.put(StreamsConfig.producerPrefix(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG), TraceInterceptor.class.getName());
    return new CoordinatorConfig(config.bootstrapServers(), config.applicationId(), config.topics(), config.stateDir(),
        config.exactlyOnce(), config.commitIntervalMs(), config.streamThreads(), overrides, config.clientSettings(),
        config.limits());
  }

  /** Opens a no-op worker for {@code component}. */
  Installation worker(String component, int parallelism, StageHandler handler) {
    workers.add(Worker.builder()
        .component(component)
        .kafkaProperties(bootstrapServers.clientConfig(traceProbe))
        .handler(handler)
        .parallelism(parallelism)
        .workerId(topics.prefix() + "-" + component + "-" + (workers.size() + 1))
        .topicNames(topics)
        .closeTimeout(Duration.ofSeconds(1))
        .open());
    return this;
  }

  MissionDriver driver() {
    return driver;
  }

  StreamsProbe probe() {
    return probe;
  }

  /** Counts the coordinator's input records by topic and kind. */
  InputMix inputMix() {
    return inputMix;
  }

  Coordinator coordinator() {
    return coordinator;
  }

  StreamsProbe.StoreSize missionStore() {
    return probe.storeSize(CoordinatorTopology.MISSION_STORE);
  }

  @Override
  public void close() {
    inputMix.close();
    driver.close();
    workers.forEach(Worker::close);
    coordinator.close();
    deleteTopics();
    Scratch.delete(stateDir);
  }

  private void deleteTopics() {
    try (Admin admin = bootstrapServers.admin()) {
      Set<String> all = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<String> ours = all.stream().filter(t -> t.startsWith(topics.prefix() + ".")
          || t.startsWith(coordinator.config().applicationId() + "-")).toList();
      admin.deleteTopics(ours).all().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("bench: could not delete the topics of " + topics.prefix() + ": " + e);
    }
  }
}
