package io.groundcontrol.testing;

import io.groundcontrol.client.KafkaConnection;
import io.groundcontrol.client.MissionCommands;
import io.groundcontrol.client.MissionLog;
import io.groundcontrol.client.PlanPublisher;
import io.groundcontrol.coordinator.Coordinator;
import io.groundcontrol.coordinator.CoordinatorConfig;
import io.groundcontrol.coordinator.TopicSetup;
import io.groundcontrol.mission.MissionLimits;
import io.groundcontrol.plan.Durations;
import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.InputRejected;
import io.groundcontrol.schema.MissionCancelled;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionFailed;
import io.groundcontrol.schema.MissionFinished;
import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.wire.TopicNames;
import io.groundcontrol.worker.api.StageHandler;
import io.groundcontrol.worker.api.Worker;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;

/**
 * One Groundcontrol installation on the shared test broker, on topics of its own: a coordinator,
 * workers on their own Kafka clients, and the tools to apply plans, start missions and read the
 * event log. {@link #secured} makes one on a secured cluster, each role under its own login.
 */
public final class GroundcontrolFixture implements AutoCloseable {
  private static final Map<String, String> QUICK_FAILOVER = Map.of(
      "consumer.session.timeout.ms", "3000", "consumer.heartbeat.interval.ms", "500");
  private final Logins logins;
  private final TopicNames topics;
  private final Path stateDir;
  private final List<Worker> workers = new ArrayList<>();
  private final Map<String, List<MissionEvent>> events = new ConcurrentHashMap<>();
  private final MissionCommands commands;
  private Coordinator coordinator;
  private MissionLimits limits = MissionLimits.DEFAULTS;

  /**
   * How an installation's processes log in to Kafka: on a secured cluster each role under a principal
   * of its own, holding only its role's ACLs.
   *
   * @param tools the plans, mission commands and event log of the test (an operator)
   */
  public record Logins(KafkaConnection coordinator, KafkaConnection tools, KafkaConnection worker) {
    static Logins plaintext(String bootstrapServers) {
      KafkaConnection plaintext = KafkaConnection.plaintext(bootstrapServers);
      return new Logins(plaintext, plaintext, plaintext);
    }
  }

  public GroundcontrolFixture(KafkaBroker broker, String name) {
    this(new TopicNames(broker.uniquePrefix(name)), Logins.plaintext(broker.bootstrapServers()));
  }

  private GroundcontrolFixture(TopicNames topics, Logins logins) {
    this.logins = logins;
    this.topics = topics;
    this.stateDir = TestDirs.create("gc-state-");
    this.commands = new MissionCommands(
        connection(), topics, new Actor(ActorKind.USER, "test", null), Clock.systemUTC());
  }

  /**
   * An installation on a secured cluster, on the default topics (those {@code groundcontrol acl print}
   * grants), each role logging in as {@code logins} says.
   */
  public static GroundcontrolFixture secured(Logins logins) {
    return new GroundcontrolFixture(TopicNames.DEFAULT, logins);
  }

  public TopicNames topics() {
    return topics;
  }

  /** The broker, for the tools' clients. */
  public KafkaConnection connection() {
    return logins.tools();
  }

  public String bootstrapServers() {
    return logins.tools().bootstrapServers();
  }

  public CoordinatorConfig coordinatorConfig() {
    return CoordinatorConfig.defaults(bootstrapServers(), stateDir).withConnection(logins.coordinator())
        .withTopics(topics, topics.prefix() + "-coordinator").withLimits(limits);
  }

  /** Coordinators started from now on, in-process or as a child, take outputs of up to {@code bytes} per stage. */
  public GroundcontrolFixture maxOutputBytes(int bytes) {
    limits = limits.withMaxOutputBytes(bytes);
    return this;
  }

  /** Coordinators started from now on, in-process or as a child, forget ended missions after {@code retention}. */
  public GroundcontrolFixture retention(Duration retention) {
    limits = limits.withRetention(retention);
    return this;
  }

  public GroundcontrolFixture startCoordinator() {
    return startCoordinator(stateDir);
  }

  /** Starts an in-process coordinator keeping its stores in {@code dir}: a fresh dir restores them from Kafka. */
  public GroundcontrolFixture startCoordinator(Path dir) {
    coordinator = Coordinator.start(coordinatorConfig().withStateDir(dir), new TopicSetup(2, (short) 1),
        Duration.ofSeconds(60));
    return this;
  }

  /** The CLI arguments that run this installation's coordinator, e.g. in a {@link CliProcess}. */
  public String[] coordinatorCommand(Path dir) {
    return new String[] {
      "coordinator", "--bootstrap-servers", bootstrapServers(), "--topic-prefix", topics.prefix(),
      "--application-id", coordinatorConfig().applicationId(), "--state-dir", dir.toString(), "--partitions", "2",
      "--api-port", "0", "--advertised-host", "127.0.0.1",
      "--max-output-bytes", Integer.toString(limits.maxOutputBytes()),
      "--retention", Durations.text(limits.retention())
    };
  }

  /**
   * {@link #coordinatorCommand} for a child that the test kills (or closes) while another instance, or
   * one on another state dir, is to take its partitions over: see {@link #failingOverQuickly}.
   */
  public String[] coordinatorCommandFailingOverQuickly(Path dir) {
    List<String> args = new ArrayList<>(List.of(coordinatorCommand(dir)));
    QUICK_FAILOVER.forEach((key, value) -> args.addAll(List.of("--set", key + "=" + value)));
    return args.toArray(String[]::new);
  }

  /**
   * {@code config} for an instance a test kills or closes while another is to take its partitions
   * over: its group session (a static member's, which a close does not end) ends 3 s after its last
   * heartbeat, where the product waits 10 s. How long a failover takes is not what such a test checks;
   * that nothing is lost, repeated or refused across it is. The transaction timeout stays Kafka
   * Streams' 10 s: a survivor opening moved tasks' stores can hold its transaction open longer than a
   * shorter one, and is then fenced (README, "Failover time").
   */
  public static CoordinatorConfig failingOverQuickly(CoordinatorConfig config) {
    CoordinatorConfig quick = config;
    for (Map.Entry<String, String> setting : QUICK_FAILOVER.entrySet()) {
      quick = quick.withOverride(setting.getKey(), setting.getValue());
    }
    return quick;
  }

  public Coordinator coordinator() {
    return coordinator;
  }

  public GroundcontrolFixture apply(Plan plan) {
    try (PlanPublisher publisher = new PlanPublisher(connection(), topics, 2)) {
      publisher.apply(plan, "test");
    }
    return this;
  }

  public Worker worker(String component, int parallelism, StageHandler handler) {
    Worker worker = Worker.builder()
        .component(component)
        .kafkaProperties(logins.worker().clientConfig())
        .handler(handler)
        .parallelism(parallelism)
        .topicNames(topics)
        .open();
    workers.add(worker);
    return worker;
  }

  public MissionCommands commands() {
    return commands;
  }

  public void start(String missionId, String plan) {
    commands.start(missionId, plan, Map.of(), List.of());
  }

  /**
   * Reads the event log from its beginning until every mission named has ended (or was rejected
   * as unknown), and returns each one's events in log order.
   *
   * @throws AssertionError naming the missions still open after {@code timeout}
   */
  public Map<String, List<MissionEvent>> awaitEnd(Collection<String> missionIds, Duration timeout) {
    Set<String> open = new HashSet<>(missionIds);
    try (MissionLog log = new MissionLog(connection(), topics)) {
      Map<TopicPartition, Long> beginning = new HashMap<>();
      log.partitions().forEach(p -> beginning.put(p, 0L));
      events.clear();
      boolean done = open.isEmpty() || log.follow(beginning, event -> {
        events.computeIfAbsent(event.getMissionId(), k -> new ArrayList<>()).add(event);
        if (ends(event)) {
          open.remove(event.getMissionId());
        }
        return !open.isEmpty();
      }, problem -> {
        throw new AssertionError("Undecodable event: " + problem);
      }, timeout);
      if (!done) {
        throw new AssertionError(open.size() + " missions did not end within " + timeout + ", e.g. "
            + open.stream().limit(3).map(id -> id + "=" + events.getOrDefault(id, List.of())).toList());
      }
    }
    return Map.copyOf(events);
  }

  /** Waits until the log holds an event of {@code type} for the mission. */
  public void awaitEvent(String missionId, Class<?> type, Duration timeout) {
    awaitLog(event -> event.getMissionId().equals(missionId) && type.isInstance(event.getEvent()), 1, timeout);
  }

  /** Waits until the log holds an event of {@code type} for each mission named, in an installation others share. */
  public void awaitEach(Collection<String> missionIds, Class<?> type, Duration timeout) {
    Set<String> seen = ConcurrentHashMap.newKeySet();
    awaitLog(event -> missionIds.contains(event.getMissionId()) && type.isInstance(event.getEvent())
        && seen.add(event.getMissionId()), missionIds.size(), timeout);
  }

  /** Waits until the log holds {@code count} events of {@code type}, over all missions. */
  public void awaitEventCount(Class<?> type, int count, Duration timeout) {
    awaitLog(event -> type.isInstance(event.getEvent()), count, timeout);
  }

  private void awaitLog(java.util.function.Predicate<MissionEvent> matches, int count, Duration timeout) {
    java.util.concurrent.atomic.AtomicInteger seen = new java.util.concurrent.atomic.AtomicInteger();
    try (MissionLog log = new MissionLog(connection(), topics)) {
      Map<TopicPartition, Long> beginning = new HashMap<>();
      log.partitions().forEach(p -> beginning.put(p, 0L));
      boolean found = log.follow(beginning, event -> !(matches.test(event) && seen.incrementAndGet() >= count),
          problem -> {
            throw new AssertionError("Undecodable event: " + problem);
          }, timeout);
      if (!found) {
        throw new AssertionError("Saw " + seen.get() + " of " + count + " matching events within " + timeout);
      }
    }
  }

  private static boolean ends(MissionEvent event) {
    Object e = event.getEvent();
    return e instanceof MissionFinished || e instanceof MissionFailed || e instanceof MissionCancelled
        || (e instanceof InputRejected && event.getSequence() == 0);
  }

  public void stopCoordinator() {
    if (coordinator != null) {
      coordinator.close();
      coordinator = null;
    }
  }

  /** Closes the workers opened so far and leaves the coordinator running: for tests that share one. */
  public void closeWorkers() {
    workers.forEach(Worker::close);
    workers.clear();
  }

  @Override
  public void close() {
    closeWorkers();
    stopCoordinator();
    commands.close();
  }
}
