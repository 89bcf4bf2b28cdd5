package io.groundcontrol.chaos;

import io.groundcontrol.bench.BenchPlans;
import io.groundcontrol.client.KafkaConnection;
import io.groundcontrol.client.MissionCommands;
import io.groundcontrol.client.MissionLog;
import io.groundcontrol.client.PlanPublisher;
import io.groundcontrol.coordinator.CompiledPlan;
import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.PlanStage;
import io.groundcontrol.schema.wire.TopicNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * One chaos run: a broker, a coordinator and the example workers, each in a child JVM on a scratch
 * directory; N missions of a plan started at once; one fault injected once a share of the stages
 * has finished; then the whole event log checked ({@link LogCheck}).
 */
public final class ChaosRun implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
  private static final TopicNames TOPICS = new TopicNames("chaos");
  private static final int PARTITIONS = 3;
  private static final String MISSION_PREFIX = "chaos-";
  private static final String PARKED_PREFIX = "parked-";
  /** A one-stage plan on a component no worker serves: its missions wait, stored, for the whole run. */
  private static final Plan PARKED_PLAN = BenchPlans.linear("chaos-parked", 1, "parked");

  private final ChaosSettings settings;
  private final Path scratch;
  private final List<ChildJvm> children = new CopyOnWriteArrayList<>();
  private ChildJvm broker;
  private ChildJvm coordinator;
  private ChildJvm workers;
  private List<String> workerComponents = List.of();
  private String bootstrapServers;
  private int incarnation;
  private boolean keepScratch;
  /** Kills the children if this JVM is stopped (Ctrl-C) before {@link #close()}: no orphaned broker. */
  private final Thread killChildren = new Thread(() -> children.forEach(ChildJvm::kill), "groundcontrol-chaos-cleanup");

  /**
   * What a run found.
   *
   * @param parked missions that waited in the store for the whole run
   * @param rebuild what the coordinator restarted by the fault rebuilt from its changelogs before it
   *     ran again; empty when the fault did not restart it
   */
  public record Result(
      Fault fault,
      int parked,
      LogCheck.Tally tally,
      Optional<Duration> faultToRecovery,
      Optional<Duration> faultToAllEnded,
      Optional<StateRebuild> rebuild,
      Path scratch) {}

  public ChaosRun(ChaosSettings settings) {
    this.settings = settings;
    this.keepScratch = settings.keepScratch();
    Runtime.getRuntime().addShutdownHook(killChildren);
    try {
      this.scratch = Files.createTempDirectory("groundcontrol-chaos-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs {@code plan} with the settings' fault and returns what the log says. */
  public Result run(Plan plan) {
    startBroker(0);
    startCoordinator(scratch.resolve("state-1"));
    try (PlanPublisher publisher = new PlanPublisher(kafka(), TOPICS, PARTITIONS)) {
      publisher.apply(plan, "chaos");
    }
    startWorkers(components(plan));
    List<String> missions = IntStream.range(0, settings.missions()).mapToObj(i -> MISSION_PREFIX + i).toList();
    long deadline = System.nanoTime() + settings.deadline().toNanos();
    try (EventFollower follower = new EventFollower(kafka(), TOPICS);
        MissionCommands commands = commands()) {
      follower.start();
      park(follower, deadline);
      settings.progress().accept("Starting " + missions.size() + " missions of '" + plan.getName() + "'");
      missions.forEach(id -> commands.start(id, plan.getName(), Map.of(), List.of()));
      long stagesToFault = (long) Math.ceil(settings.faultAfter() * missions.size() * plan.getStages().size());
      EventFollower.await(() -> follower.stagesFinished() >= stagesToFault || follower.allEnded(missions), deadline);
      Instant faultAt = Instant.now();
      long faultNanos = System.nanoTime();
      follower.faultInjected(faultAt);
      settings.progress().accept("Injecting fault '" + settings.fault() + "' after " + follower.stagesFinished()
          + " stages finished and " + follower.endedCount() + " missions ended");
      ChildJvm before = coordinator;
      inject(settings.fault());
      ChildJvm restarted = coordinator == before ? null : coordinator;
      boolean allEnded = EventFollower.await(() -> follower.allEnded(missions), deadline);
      EventFollower.await(() -> follower.firstReportAfterFaultNanos() != 0, allEnded ? System.nanoTime() : deadline);
      Optional<Duration> recovery = since(faultNanos, follower.firstReportAfterFaultNanos());
      Optional<Duration> toAllEnded = allEnded ? since(faultNanos, Math.max(follower.lastEndNanos(), faultNanos))
          : Optional.empty();
      settings.progress().accept(follower.endedCount() + " of " + missions.size() + " missions ended; checking the log");
      Map<String, List<MissionEvent>> events;
      try (MissionLog log = new MissionLog(kafka(), TOPICS)) {
        events = log.readAll(key -> key.startsWith(MISSION_PREFIX),
            problem -> settings.progress().accept("Undecodable event: " + problem));
      }
      CompiledPlan compiled = CompiledPlan.of(plan);
      LogCheck.Tally tally = LogCheck.check(missions, events, stage -> compiled.timeout(stage));
      keepScratch = settings.keepScratch() || tally.broken();
      Optional<StateRebuild> rebuild = restarted == null ? Optional.empty() : StateRebuild.firstIn(restarted.output());
      return new Result(settings.fault(), settings.parked(), tally, recovery, toAllEnded, rebuild, scratch);
    }
  }

  private MissionCommands commands() {
    return new MissionCommands(kafka(), TOPICS, new Actor(ActorKind.USER, "chaos", null), Clock.systemUTC());
  }

  /** Starts the parked missions and waits until the coordinator has started them all. */
  private void park(EventFollower follower, long deadlineNanos) {
    if (settings.parked() == 0) {
      return;
    }
    try (PlanPublisher publisher = new PlanPublisher(kafka(), TOPICS, PARTITIONS)) {
      publisher.apply(PARKED_PLAN, "chaos");
    }
    settings.progress().accept(String.format(Locale.ROOT, "Parking %,d missions of '%s' (no worker serves it)",
        settings.parked(), PARKED_PLAN.getName()));
    long begin = System.nanoTime();
    try (MissionCommands parking = commands()) {
      parking.startAll(IntStream.range(0, settings.parked()).mapToObj(i -> PARKED_PREFIX + i).toList(),
          PARKED_PLAN.getName());
    }
    if (!EventFollower.await(() -> follower.missionsStarted() >= settings.parked(), deadlineNanos)) {
      throw new IllegalStateException("Only " + follower.missionsStarted() + " of " + settings.parked()
          + " parked missions started before the deadline");
    }
    double seconds = (System.nanoTime() - begin) / 1e9;
    settings.progress().accept(String.format(Locale.ROOT, "Parked %,d missions in %.1f s (%,.0f starts/s)",
        settings.parked(), seconds, settings.parked() / seconds));
  }

  private KafkaConnection kafka() {
    return KafkaConnection.plaintext(bootstrapServers);
  }

  private static Optional<Duration> since(long fromNanos, long atNanos) {
    return atNanos == 0 ? Optional.empty() : Optional.of(Duration.ofNanos(Math.max(0, atNanos - fromNanos)));
  }

  private void inject(Fault fault) {
    switch (fault) {
      case NONE -> { }
      case COORDINATOR_SAME_DIR -> {
        Path stateDir = scratch.resolve("state-1");
        coordinator.kill();
        startCoordinator(stateDir);
      }
      case COORDINATOR_FRESH_DIR -> {
        coordinator.kill();
        startCoordinator(scratch.resolve("state-2"));
      }
      case WORKER -> {
        workers.kill();
        startWorkers(workerComponents);
      }
      case BROKER -> {
        int port = Integer.parseInt(bootstrapServers.substring(bootstrapServers.lastIndexOf(':') + 1));
        broker.kill();
        startBroker(port);
      }
    }
  }

  private void startBroker(int port) {
    broker = child("broker", "768m", ChildJvm.brokerArgs(scratch.resolve("broker"), port, PARTITIONS));
    bootstrapServers = broker.awaitBrokerReady(START_TIMEOUT);
  }

  private void startCoordinator(Path stateDir) {
    coordinator = child("coordinator", "512m",
        coordinatorArgs(bootstrapServers, stateDir, settings.coordinatorOverrides()).toArray(String[]::new));
    coordinator.awaitOutput(Pattern.compile("running against"), START_TIMEOUT);
  }

  /** The coordinator's command line, its Kafka Streams overrides last. */
  static List<String> coordinatorArgs(String bootstrapServers, Path stateDir, Map<String, String> overrides) {
    List<String> args = new ArrayList<>(List.of("coordinator", "--bootstrap-servers", bootstrapServers,
        "--topic-prefix", TOPICS.prefix(), "--application-id", "chaos-coordinator", "--state-dir", stateDir.toString(),
        "--partitions", Integer.toString(PARTITIONS)));
    overrides.forEach((key, value) -> args.addAll(List.of("--set", key + "=" + value)));
    return args;
  }

  private void startWorkers(List<String> components) {
    workerComponents = components;
    List<String> args = new ArrayList<>(List.of("workers", "--bootstrap-servers", bootstrapServers,
        "--topic-prefix", TOPICS.prefix(), "--parallelism", Integer.toString(settings.parallelism())));
    components.forEach(component -> args.addAll(List.of("--component", component)));
    workers = child("workers", "384m", args.toArray(String[]::new));
    workers.awaitOutput(Pattern.compile("Example workers for"), START_TIMEOUT);
  }

  private ChildJvm child(String name, String heap, String... args) {
    Path output = scratch.resolve("logs").resolve(name + "-" + (++incarnation) + ".log");
    ChildJvm child = ChildJvm.start(name, heap, output, args);
    children.add(child);
    return child;
  }

  private static List<String> components(Plan plan) {
    return List.copyOf(new TreeSet<>(plan.getStages().stream().map(PlanStage::getComponent).toList()));
  }

  /** Stops every child; deletes the scratch directory unless asked to keep it or the run found a fault. */
  @Override
  public void close() {
    children.forEach(ChildJvm::kill);
    try {
      Runtime.getRuntime().removeShutdownHook(killChildren);
    } catch (IllegalStateException shuttingDown) {
      // The hook runs or ran already.
    }
    if (!keepScratch) {
      try (Stream<Path> paths = Files.walk(scratch)) {
        paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      } catch (IOException e) {
        settings.progress().accept("Could not delete " + scratch + ": " + e.getMessage());
      }
    }
  }
}
