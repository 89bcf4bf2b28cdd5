package io.groundcontrol.chaos;

import io.groundcontrol.client.KafkaConnection;
import io.groundcontrol.kafka.embedded.FreePorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;

/**
 * The coordinator instances of a chaos run, numbered from 1: each a child JVM with its own state dir
 * and API port, all of one application id. Each has the client id {@code chaos-coordinator-<n>},
 * which tells its members of the consumer group apart from the others'.
 */
final class CoordinatorGroup {
  static final String APPLICATION_ID = "chaos-coordinator";
  private static final Pattern RUNNING = Pattern.compile("running against");
  private static final Pattern CONSUMER_CLIENT_ID = Pattern.compile(
      "^" + APPLICATION_ID + "-(\\d+)(?:-schemas-[0-9a-f]{8})?-StreamThread-\\d+-consumer$");
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration DESCRIBE_TIMEOUT = Duration.ofSeconds(10);

  /** Starts a child JVM, its output in the run's log directory. */
  @FunctionalInterface
  interface Launcher {
    ChildJvm start(String name, String... args);
  }

  /** One instance: its number, process, state dir and API port. */
  record Instance(int number, ChildJvm process, Path stateDir, int apiPort) {}

  /**
   * Which partitions of {@code mission-commands} each instance's stream threads own.
   *
   * @param byInstance instance number to partitions; every running instance has an entry
   * @param settled whether the group was stable: during a rebalance, partitions being moved show
   *     under no instance
   */
  record Assignment(Map<Integer, Set<Integer>> byInstance, boolean settled) {
    Assignment(Map<Integer, Set<Integer>> byInstance) {
      this(byInstance, true);
    }

    /** The instance owning the most mission partitions, the lowest number among equals. */
    int busiest() {
      return byInstance.entrySet().stream()
          .max(Comparator.<Map.Entry<Integer, Set<Integer>>>comparingInt(e -> e.getValue().size())
              .thenComparing(Map.Entry::getKey, Comparator.reverseOrder()))
          .orElseThrow().getKey();
    }
  }

  private final Coordinators settings;
  private final String bootstrapServers;
  private final String missionCommands;
  private final Map<String, String> overrides;
  private final Launcher launcher;
  private final List<Instance> instances = new ArrayList<>();

  CoordinatorGroup(Coordinators settings, String bootstrapServers, String missionCommands,
      Map<String, String> overrides, Launcher launcher) {
    this.settings = settings;
    this.bootstrapServers = bootstrapServers;
    this.missionCommands = missionCommands;
    this.overrides = overrides;
    this.launcher = launcher;
  }

  /**
   * Starts every instance on {@code stateDirs(n)}, all at once, and waits until each runs; with
   * more than one, then until all have joined the group and each owns some of the work.
   */
  void startAll(IntFunction<Path> stateDirs, Duration timeout) {
    int[] apiPorts = FreePorts.several(settings.count());
    for (int number = 1; number <= settings.count(); number++) {
      instances.add(launch(number, stateDirs.apply(number), apiPorts[number - 1]));
    }
    instances.forEach(instance -> instance.process().awaitOutput(RUNNING, timeout));
    if (settings.count() > 1) {
      awaitJoined(timeout);
    }
  }

  Instance instance(int number) {
    return instances.get(number - 1);
  }

  List<Instance> all() {
    return List.copyOf(instances);
  }

  /** Kills instance {@code number} (SIGKILL); it stays in the list, dead, unless restarted. */
  void kill(int number) {
    instance(number).process().kill();
  }

  /** Starts instance {@code number} again on {@code stateDir} and its API port; returns the new process. */
  ChildJvm restart(int number, Path stateDir, Duration timeout) {
    Instance restarted = launch(number, stateDir, instance(number).apiPort());
    restarted.process().awaitOutput(RUNNING, timeout);
    instances.set(number - 1, restarted);
    return restarted.process();
  }

  private Instance launch(int number, Path stateDir, int apiPort) {
    ChildJvm process = launcher.start("coordinator-" + number,
        args(bootstrapServers, number, settings, stateDir, apiPort, overrides).toArray(String[]::new));
    return new Instance(number, process, stateDir, apiPort);
  }

  /** Instance {@code number}'s command line, the run's Kafka Streams overrides last. */
  static List<String> args(String bootstrapServers, int number, Coordinators settings, Path stateDir, int apiPort,
      Map<String, String> overrides) {
    List<String> args = new ArrayList<>(List.of("coordinator", "--bootstrap-servers", bootstrapServers,
        "--topic-prefix", ChaosRun.TOPIC_PREFIX, "--application-id", APPLICATION_ID,
        "--state-dir", stateDir.toString(), "--partitions", Integer.toString(settings.partitions()),
        "--standby-replicas", Integer.toString(settings.standbyReplicas()),
        "--api-port", Integer.toString(apiPort), "--api-bind", "127.0.0.1", "--advertised-host", "127.0.0.1",
        "--set", "client.id=" + clientId(number)));
    overrides.forEach((key, value) -> args.addAll(List.of("--set", key + "=" + value)));
    return args;
  }

  private static String clientId(int number) {
    return APPLICATION_ID + "-" + number;
  }

  /** Waits until every instance is a member of the group, the group is stable, and each owns a task. */
  private void awaitJoined(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer yet";
    try (Admin admin = KafkaConnection.plaintext(bootstrapServers).admin()) {
      while (System.nanoTime() < deadline) {
        instances.stream().filter(instance -> !instance.process().isAlive()).findFirst().ifPresent(instance -> {
          throw new IllegalStateException("Coordinator " + instance.number() + " exited before all joined; its log: "
              + instance.process().outputFile());
        });
        Optional<ConsumerGroupDescription> group = describe(admin);
        if (group.isPresent()) {
          Map<Integer, Set<TopicPartition>> owned = owned(group.get());
          last = group.get().groupState() + ", members " + owned.keySet();
          if (group.get().groupState() == GroupState.STABLE && owned.size() == settings.count()
              && owned.values().stream().noneMatch(Set::isEmpty)) {
            return;
          }
        }
        sleep();
      }
    }
    throw new IllegalStateException("The " + settings.count() + " coordinators did not all join group "
        + APPLICATION_ID + " within " + timeout + " (last seen: " + last + ")");
  }

  /** Who owns which partition of {@code mission-commands} now, as the group says. */
  Assignment assignment() {
    try (Admin admin = KafkaConnection.plaintext(bootstrapServers).admin()) {
      ConsumerGroupDescription group = describe(admin).orElseThrow(
          () -> new IllegalStateException("Group " + APPLICATION_ID + " is not there"));
      Map<Integer, Set<Integer>> byInstance = new TreeMap<>();
      owned(group).forEach((number, partitions) -> byInstance.put(number, partitions.stream()
          .filter(p -> p.topic().equals(missionCommands)).map(TopicPartition::partition)
          .collect(Collectors.toCollection(TreeSet::new))));
      return new Assignment(byInstance, group.groupState() == GroupState.STABLE);
    }
  }

  /** Each instance's assigned partitions, of every topic, by instance number. */
  private static Map<Integer, Set<TopicPartition>> owned(ConsumerGroupDescription group) {
    Map<Integer, Set<TopicPartition>> owned = new TreeMap<>();
    for (MemberDescription member : group.members()) {
      instanceOf(member.clientId()).ifPresent(number -> owned.computeIfAbsent(number, n -> new HashSet<>())
          .addAll(member.assignment().topicPartitions()));
    }
    return owned;
  }

  /**
   * The instance number in a stream thread's consumer client id: {@code
   * chaos-coordinator-2-schemas-dbf27251-StreamThread-1-consumer} (the coordinator tags its client id
   * with its schemas, see {@code SchemaSetTag}).
   */
  static Optional<Integer> instanceOf(String clientId) {
    Matcher matcher = CONSUMER_CLIENT_ID.matcher(clientId);
    return matcher.find() ? Optional.of(Integer.parseInt(matcher.group(1))) : Optional.empty();
  }

  private static Optional<ConsumerGroupDescription> describe(Admin admin) {
    try {
      return Optional.ofNullable(admin.describeConsumerGroups(List.of(APPLICATION_ID)).all().get(DESCRIBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
          .get(APPLICATION_ID));
    } catch (ExecutionException | TimeoutException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while describing group " + APPLICATION_ID, e);
    }
  }

  /** Instances that were not killed for good and have stopped: {@code lost} is the one killed for good, or 0. */
  List<Integer> stoppedSurvivors(int lost) {
    return IntStream.rangeClosed(1, instances.size())
        .filter(number -> number != lost && !instance(number).process().isAlive()).boxed().toList();
  }

  private static void sleep() {
    try {
      Thread.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the coordinators", e);
    }
  }
}
