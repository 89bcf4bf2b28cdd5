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
import java.nio.charset.StandardCharsets;
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
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.common.utils.Utils;

/**
 * One chaos run: a broker, one or more coordinator instances and the example workers, each in a
 * child JVM on a scratch directory; N missions of a plan started at once; one fault injected once a
 * share of the stages has finished; then the whole event log checked ({@link LogCheck}).
 */
public final class ChaosRun implements AutoCloseable {
  /** Long: a child JVM on a machine busy with builds and tests took more than 3 minutes to start a broker. */
  private static final Duration START_TIMEOUT = Duration.ofMinutes(6);
  static final String TOPIC_PREFIX = "chaos";
  private static final TopicNames TOPICS = new TopicNames(TOPIC_PREFIX);
  private static final String MISSION_PREFIX = "chaos-";
  private static final String PARKED_PREFIX = "parked-";
  /** A one-stage plan on a component no worker serves: its missions wait, stored, for the whole run. */
  private static final Plan PARKED_PLAN = BenchPlans.linear("chaos-parked", 1, "parked");

  private final ChaosSettings settings;
  private final List<String> childJvmOptions;
  private final int partitions;
  private final Path scratch;
  private final List<ChildJvm> children = new CopyOnWriteArrayList<>();
  private ChildJvm broker;
  private CoordinatorGroup coordinators;
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
   * @param faultToVictimRecovery from the fault to the first event caused by a report written after
   *     it, of a mission on a partition the struck instance owned: when its work ran again, here or
   *     elsewhere; empty when the fault struck no coordinator or none of its missions reported after it
   * @param othersLongestReportWait the longest a report written after the fault, of a mission on a
   *     partition the struck instance did not own, waited for its event: how long the instances the
   *     fault spared held up their own missions; empty with one instance or no such report
   * @param rebuild what the coordinator restarted by the fault rebuilt from its changelogs before it
   *     ran again; empty when the fault did not restart it
   * @param survivorsRebuild what the other instances rebuilt after the fault, summed; empty with one
   *     instance or a fault that strikes none
   * @param stoppedSurvivors instances that stopped though the run did not kill them for good
   */
  public record Result(
      Fault fault,
      Coordinators coordinators,
      int parked,
      LogCheck.Tally tally,
      Optional<Duration> faultToRecovery,
      Optional<Duration> faultToAllEnded,
      Optional<Strike> strike,
      Optional<Duration> faultToVictimRecovery,
      Optional<Duration> othersLongestReportWait,
      Optional<StateRebuild> rebuild,
      Optional<StateRebuild> survivorsRebuild,
      List<Integer> stoppedSurvivors,
      Path scratch) {

    /** Whether the log shows a loss, duplicate or in-time rejection, or an instance stopped by itself. */
    public boolean broken() {
      return tally.broken() || !stoppedSurvivors.isEmpty();
    }
  }

  /**
   * The coordinator instance a fault struck.
   *
   * @param instance its number, from 1
   * @param partitions the partitions of {@code mission-commands} it owned when struck
   * @param before every instance's partitions of {@code mission-commands} just before the fault
   * @param after the same once every mission ended (the killed instance, gone, has none)
   * @param afterSettled whether the group was stable then; if not, partitions being moved show under no instance
   */
  public record Strike(int instance, Set<Integer> partitions, Map<Integer, Set<Integer>> before,
      Map<Integer, Set<Integer>> after, boolean afterSettled) {}

  public ChaosRun(ChaosSettings settings) {
    this(settings, List.of());
  }

  /**
   * A run whose children get {@code childJvmOptions} too. For tests: the {@code chaos} command's
   * children keep the default JIT, since it measures recovery times for users.
   */
  ChaosRun(ChaosSettings settings, List<String> childJvmOptions) {
    this.settings = settings;
    this.childJvmOptions = List.copyOf(childJvmOptions);
    this.partitions = settings.coordinators().partitions();
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
    startCoordinators();
    try (PlanPublisher publisher = new PlanPublisher(kafka(), TOPICS, partitions)) {
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
      Optional<CoordinatorGroup.Assignment> before = settings.fault().strikesCoordinator()
          ? Optional.of(assignment()) : Optional.empty();
      int victim = before.map(CoordinatorGroup.Assignment::busiest).orElse(0);
      Map<Integer, Integer> survivorOutputs = outputLengths(victim);
      Instant faultAt = Instant.now();
      long faultNanos = System.nanoTime();
      follower.faultInjected(faultAt);
      settings.progress().accept("Injecting fault '" + settings.fault() + "'" + (victim == 0 ? "" : " into "
          + instanceName(victim) + " (mission partitions " + before.get().byInstance().get(victim) + ")")
          + " after " + follower.stagesFinished() + " stages finished and " + follower.endedCount() + " missions ended");
      ChildJvm restarted = inject(settings.fault(), victim);
      boolean allEnded = EventFollower.await(() -> follower.allEnded(missions), deadline);
      EventFollower.await(() -> follower.firstReportAfterFaultNanos() != 0, allEnded ? System.nanoTime() : deadline);
      Optional<Duration> recovery = since(faultNanos, follower.firstReportAfterFaultNanos());
      Optional<Duration> toAllEnded = allEnded ? since(faultNanos, Math.max(follower.lastEndNanos(), faultNanos))
          : Optional.empty();
      Optional<CoordinatorGroup.Assignment> after = before.map(b -> assignment());
      Optional<Strike> strike = before.map(b -> new Strike(victim, b.byInstance().get(victim), b.byInstance(),
          after.get().byInstance(), after.get().settled()));
      Optional<Duration> victimRecovery = strike.flatMap(s -> since(faultNanos,
          follower.firstReportAfterFaultNanos(id -> s.partitions().contains(partitionOf(id, partitions)))));
      Optional<Duration> othersWait = strike.flatMap(s ->
          follower.longestReportWaitAfterFault(id -> !s.partitions().contains(partitionOf(id, partitions))));
      settings.progress().accept(follower.endedCount() + " of " + missions.size() + " missions ended; checking the log");
      Map<String, List<MissionEvent>> events;
      try (MissionLog log = new MissionLog(kafka(), TOPICS)) {
        events = log.readAll(key -> key.startsWith(MISSION_PREFIX),
            problem -> settings.progress().accept("Undecodable event: " + problem));
      }
      CompiledPlan compiled = CompiledPlan.of(plan);
      LogCheck.Tally tally = LogCheck.check(missions, events, stage -> compiled.timeout(stage));
      Optional<StateRebuild> rebuild = restarted == null ? Optional.empty() : StateRebuild.firstIn(restarted.output());
      List<Integer> stopped = coordinators.stoppedSurvivors(settings.fault() == Fault.COORDINATOR_LOST ? victim : 0);
      Result result = new Result(settings.fault(), settings.coordinators(), settings.parked(), tally, recovery,
          toAllEnded, strike, victimRecovery, othersWait, rebuild, survivorsRebuild(survivorOutputs), stopped, scratch);
      keepScratch = settings.keepScratch() || result.broken();
      return result;
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
    try (PlanPublisher publisher = new PlanPublisher(kafka(), TOPICS, partitions)) {
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

  /** Injects {@code fault}, into coordinator instance {@code victim} if it strikes one; the restarted process, if any. */
  private ChildJvm inject(Fault fault, int victim) {
    switch (fault) {
      case NONE -> { }
      case COORDINATOR_SAME_DIR -> {
        coordinators.kill(victim);
        return coordinators.restart(victim, coordinators.instance(victim).stateDir(), START_TIMEOUT);
      }
      case COORDINATOR_FRESH_DIR -> {
        coordinators.kill(victim);
        return coordinators.restart(victim, scratch.resolve("state-" + victim + "-fresh"), START_TIMEOUT);
      }
      case COORDINATOR_LOST -> coordinators.kill(victim);
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
    return null;
  }

  private void startBroker(int port) {
    broker = child("broker", "768m", ChildJvm.brokerArgs(scratch.resolve("broker"), port, partitions));
    bootstrapServers = broker.awaitBrokerReady(START_TIMEOUT);
  }

  private void startCoordinators() {
    coordinators = new CoordinatorGroup(settings.coordinators(), bootstrapServers, TOPICS.missionCommands(),
        settings.coordinatorOverrides(), (name, args) -> child(name, "512m", args));
    coordinators.startAll(number -> scratch.resolve("state-" + number), START_TIMEOUT);
    if (settings.coordinators().count() > 1) {
      settings.progress().accept(settings.coordinators().count() + " coordinators joined; mission partitions by "
          + "instance: " + assignment().byInstance());
    }
  }

  /** Who owns which mission partitions; with one instance, it owns them all (no need to ask the group). */
  private CoordinatorGroup.Assignment assignment() {
    if (settings.coordinators().count() == 1) {
      return new CoordinatorGroup.Assignment(Map.of(1, IntStream.range(0, partitions).boxed()
          .collect(Collectors.toCollection(TreeSet::new))));
    }
    return coordinators.assignment();
  }

  /** How much each instance but {@code victim} has printed so far: where its lines after the fault begin. */
  private Map<Integer, Integer> outputLengths(int victim) {
    Map<Integer, Integer> lengths = new TreeMap<>();
    if (victim != 0) {
      coordinators.all().stream().filter(instance -> instance.number() != victim)
          .forEach(instance -> lengths.put(instance.number(), instance.process().output().length()));
    }
    return lengths;
  }

  /** What the instances the fault spared rebuilt after it, summed; empty if there were none. */
  private Optional<StateRebuild> survivorsRebuild(Map<Integer, Integer> outputLengths) {
    if (outputLengths.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(StateRebuild.sum(outputLengths.entrySet().stream()
        .flatMap(e -> StateRebuild.allIn(coordinators.instance(e.getKey()).process().output().substring(e.getValue()))
            .stream())
        .toList()));
  }

  private String instanceName(int number) {
    return settings.coordinators().count() == 1 ? "the coordinator"
        : "coordinator " + number + " of " + settings.coordinators().count();
  }

  /** The partition of {@code mission-commands} a mission's commands go to: Kafka's default partitioner on its id. */
  static int partitionOf(String missionId, int partitions) {
    return Utils.toPositive(Utils.murmur2(missionId.getBytes(StandardCharsets.UTF_8))) % partitions;
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
    ChildJvm child = ChildJvm.start(name, heap, childJvmOptions, output, args);
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
