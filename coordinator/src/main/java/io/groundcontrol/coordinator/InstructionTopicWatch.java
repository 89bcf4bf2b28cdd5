package io.groundcontrol.coordinator;

import io.groundcontrol.schema.wire.TopicNames;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates again, while the coordinator runs, the instruction topic of a component it dispatches to
 * when the topic was deleted, as the start does for the latest plans' components ({@link
 * #repairAtStart}): with the installation's partition count, and one warning naming it.
 *
 * <p>Why it cannot wait for a failed write: under exactly-once Kafka Streams sets the producer's
 * {@code delivery.timeout.ms} to its maximum, so an instruction for a deleted topic is held without a
 * timeout, and the commit that flushes it blocks the stream thread, every mission of every component
 * on it, until the topic exists: no error reaches {@link ProductionErrors}, nothing is logged, and
 * where the broker does not create topics on use that lasts until a restart. Once the topic is back
 * the producer sends what it holds in its transaction, so nothing is lost or written twice; if that
 * took longer than {@code transaction.timeout.ms} (10 s), the broker has aborted the transaction,
 * the producer is fenced, and the tasks read their inputs again from their last commit.
 *
 * <p>Before it creates a deleted topic again it waits, at most {@link #WORKERS_LET_GO}, until the
 * component's consumer group holds none of its partitions ({@link WorkerHold}). A worker's consumer
 * that has not seen the deletion keeps its partitions and its read positions: given the new topic
 * under the same name, it would read on from there and skip the instructions written below (the
 * held ones first of all); and a commit it retries for the deleted topic would land on the new one.
 * The group lets go once its consumers see the topic missing from their metadata and rebalance.
 *
 * <p>Which topics: those of the components the topology has routed an instruction to since it was
 * built ({@link InstructionTopics} tells it; a new one is checked at once), checked every {@link
 * #INTERVAL}. A component no running mission dispatches to is left alone, so a retired one's topic,
 * deleted by an operator, stays deleted. A topic the cluster refuses to create (no Create ACL, a
 * creation policy) is one warning naming it and why, again only when the reason changes.
 */
final class InstructionTopicWatch implements AutoCloseable {
  /** The key of the streams config that carries an instance's watch to its topology. */
  static final String CONFIG = "groundcontrol.internal.instruction.topic.watch";
  /** How often the topics are checked: with {@link #WORKERS_LET_GO}, the longest a deleted one holds up a stream thread before it is created. */
  static final Duration INTERVAL = Duration.ofSeconds(5);

  /** The longest a deleted topic waits to be created again for its component's workers to let go of its partitions. */
  static final Duration WORKERS_LET_GO = Duration.ofSeconds(20);
  /** How often the group of a component whose deleted topic waits is described. */
  private static final Duration RECHECK = Duration.ofMillis(250);

  private static final Logger LOG = LoggerFactory.getLogger(InstructionTopicWatch.class);

  private final Admin admin;
  private final TopicSetup setup;
  private final TopicNames names;
  private final Set<String> components = ConcurrentHashMap.newKeySet();
  private final PeriodicCheck check = new PeriodicCheck("groundcontrol-instruction-topics", INTERVAL, e -> logOnce(null,
      "Could not check the instruction topics of the components dispatched to: " + e.getMessage() + "; trying again"
      + " every " + INTERVAL.toSeconds() + " s"));
  /** The id each watched topic had at the last check: another one means it was deleted and created again. */
  private final TopicIds ids = new TopicIds();
  /** How long a deleted topic waits for its component's workers to let go of its partitions. */
  private final RecreationWaits waits = new RecreationWaits(WORKERS_LET_GO);
  /** The reason last logged per topic the cluster refused to create, or a failed check under null. */
  private final Map<String, String> logged = new HashMap<>();

  /** @param admin used by the watch alone, and closed with it */
  InstructionTopicWatch(Admin admin, TopicSetup setup, TopicNames names) {
    this.admin = admin;
    this.setup = setup;
    this.names = names;
  }

  /** What the topology calls with each component it routes to: the watch in {@code configs}, or nothing. */
  static Consumer<String> routedTo(Map<?, ?> configs) {
    return configs.get(CONFIG) instanceof InstructionTopicWatch watch ? watch::routedTo : component -> { };
  }

  /** An instruction goes to {@code component}: its topic is watched from now on, and checked at once if new. */
  void routedTo(String component) {
    if (component != null && components.add(component)) {
      check.now();
    }
  }

  /** Starts checking, on a daemon thread. */
  void start() {
    check.start(this::repairMissing);
  }

  /**
   * Creates the missing topics of the components routed to, each named in one warning, and names
   * one that another client created again with another partition count.
   */
  private void repairMissing() {
    Map<String, Uuid> listed = TopicSetup.topicIds(admin);
    Set<String> missing = new TreeSet<>();
    Map<String, Uuid> recreated = new TreeMap<>();
    components.forEach(component -> {
      String topic = names.instructions(component);
      Uuid id = listed.get(topic);
      if (id == null) {
        missing.add(component);
        return;
      }
      ids.note(topic, id).ifPresent(before -> recreated.put(topic, before));
    });
    logged.keySet().removeIf(topic -> topic == null || listed.containsKey(topic));
    // One this watch created itself has the installation's count, so its check changes and logs nothing.
    recreated.forEach((topic, before) -> {
      if (!checkCount(topic)) {
        ids.again(topic, before);
      }
    });
    waits.retainOnly(missing.stream().map(names::instructions).toList());
    Map<String, WorkerHold> letGo = new TreeMap<>();
    Map<String, WorkerHold> waitedOut = new TreeMap<>();
    for (String component : missing) {
      WorkerHold hold = WorkerHold.describe(admin, component, names.instructions(component));
      switch (decide(component, hold)) {
        case CREATE -> letGo.put(component, hold);
        case CREATE_WAITED_OUT -> waitedOut.put(component, hold);
        case WAIT -> check.soon(RECHECK);
      }
    }
    if (!letGo.isEmpty() || !waitedOut.isEmpty()) {
      createAgain(letGo, waitedOut);
    }
  }

  /** Whether to create {@code component}'s missing topic now, given what its workers hold; says when a wait begins. */
  private RecreationWaits.Decision decide(String component, WorkerHold hold) {
    String topic = names.instructions(component);
    boolean began = !waits.waiting(topic);
    RecreationWaits.Decision decision = waits.decide(topic, hold.held(), System.nanoTime());
    if (decision == RecreationWaits.Decision.WAIT && began) {
      LOG.warn("The instruction topic {} was deleted while the coordinator runs; waiting up to {} s for the workers of "
          + "{} to let go of its partitions ({}) before creating it again: one that held a partition would read the "
          + "new topic from its old position, past the instructions written below it", topic,
          waits.longest().toSeconds(), component, hold.why());
    }
    return decision;
  }

  /** Creates the missing topics of the components given, each named in one warning, by what their workers held. */
  private void createAgain(Map<String, WorkerHold> letGo, Map<String, WorkerHold> waitedOut) {
    Set<String> creating = new TreeSet<>(letGo.keySet());
    creating.addAll(waitedOut.keySet());
    Repair repair = Repair.of(admin, setup, names, creating);
    int partitions = repair.installation().partitions();
    short replicas = repair.installation().replicationFactor();
    creating.stream().filter(component -> repair.created().contains(names.instructions(component))).forEach(c -> {
      if (waitedOut.containsKey(c)) {
        LOG.warn("Created again the instruction topic {}, deleted while the coordinator runs, with {} partitions and {} "
            + "replicas, though after {} s the workers of {} may still hold its partitions ({}): a worker that does "
            + "reads the new topic from its old position and skips the instructions written below it; restart it",
            names.instructions(c), partitions, replicas, waits.longest().toSeconds(), c, waitedOut.get(c).why());
      } else {
        LOG.warn("Created again the instruction topic {}, deleted while the coordinator runs, with {} partitions and {} "
            + "replicas once the workers of {} held none of its partitions ({}); the instructions waiting for it go on",
            names.instructions(c), partitions, replicas, c, letGo.get(c).why());
      }
    });
    repair.refused().forEach((topic, why) -> logOnce(topic, "Could not create again the instruction topic " + topic
        + ", deleted while the coordinator runs: " + why + "; the stream thread that dispatches to it, and every"
        + " mission on that thread, waits until it exists"));
  }

  /**
   * Gives {@code topic}, deleted and created again by another client, the installation's partition
   * count if it has fewer, else names it if it has more. A broker that creates topics on use creates
   * it with its own count ({@code num.partitions}) at the producer's next metadata request, before any
   * check here; the producer holds instructions for the partitions the topic had, and a commit waits
   * for them, so without those partitions the stream thread would wait for ever. Instructions written
   * in between went to partitions of the smaller count, which a later instruction of the same mission
   * may overtake.
   */
  private boolean checkCount(String topic) {
    String failure = topic + " (partitions)";
    int count;
    int installation;
    try {
      count = TopicSetup.partitionCount(admin, topic);
      installation = setup.ofInstallation(admin, names).partitions();
    } catch (RuntimeException e) {
      logOnce(failure, "Could not check the partition count of the instruction topic " + topic + ", created again "
          + "since the last check: " + e.getMessage() + "; trying again every " + INTERVAL.toSeconds() + " s");
      return false;
    }
    if (count > installation) {
      LOG.warn("The instruction topic {} was created again, not by this coordinator, with {} partitions, not the "
          + "installation's {} (a broker with auto.create.topics.enable=true creates a deleted topic on use); it keeps "
          + "them", topic, count, installation);
    } else if (count < installation) {
      try {
        admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(installation))).all().get(30, TimeUnit.SECONDS);
        LOG.warn("The instruction topic {} was created again, not by this coordinator, with {} partitions (a broker with "
            + "auto.create.topics.enable=true creates a deleted topic on use): added partitions up to the installation's"
            + " {}, so that the instructions held for them go on", topic, count, installation);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      } catch (ExecutionException | TimeoutException e) {
        logOnce(failure, "The instruction topic " + topic + " was created again, not by this coordinator, with " + count
            + " partitions, and adding partitions up to the installation's " + installation + " failed: "
            + e.getMessage() + "; the stream thread that dispatches to it, and every mission on that thread, waits "
            + "until it has them (trying again every " + INTERVAL.toSeconds() + " s)");
        return false;
      }
    }
    logged.remove(failure);
    return true;
  }

  private void logOnce(String topic, String line) {
    if (!line.equals(logged.put(topic, line))) {
      LOG.warn(line);
    }
  }

  /**
   * Creates the missing instruction topics of {@code components} as a coordinator starts, as {@code
   * plan apply} creates them, with the installation's partition count: one deleted since would
   * otherwise hold up the stream thread that dispatches to it (see the class comment), or be created
   * by the broker with its default partition count, where it creates topics on use. A repair, which
   * never keeps the coordinator from starting: a topic the cluster refuses to create (no Create ACL
   * where topics are made beforehand, a creation policy, too few brokers for the replicas) is one
   * warning naming it and why, and the start goes on.
   */
  static void repairAtStart(Admin admin, TopicSetup setup, TopicNames names, Set<String> components) {
    try {
      Repair repair = Repair.of(admin, setup, names, components);
      repair.refused().forEach((topic, why) -> LOG.warn("Could not create the missing instruction topic {} of a "
          + "component the latest plans name: {}; starting without it (dispatches to the component wait for it)",
          topic, why));
      if (!repair.created().isEmpty()) {
        LOG.warn("Created the missing instruction topics {} of components that the latest plans name (deleted since "
            + "plan apply?), with {} partitions and {} replicas", repair.created(), repair.installation().partitions(),
            repair.installation().replicationFactor());
      }
    } catch (RuntimeException e) {
      LOG.warn("Could not check the instruction topics of the latest plans: {}; starting without", e.getMessage());
    }
  }

  @Override
  public void close() {
    check.close();
    admin.close();
  }

  /**
   * What one repair did: the one code path of the start and of the watch.
   *
   * @param installation the setup the topics were created with: the installation's partition count
   * @param created the topics created
   * @param refused per topic the cluster refused to create, why, in one line
   */
  record Repair(TopicSetup installation, Set<String> created, Map<String, String> refused) {
    static Repair of(Admin admin, TopicSetup setup, TopicNames names, Collection<String> components) {
      TopicSetup installation = setup.ofInstallation(admin, names);
      Set<String> created = new TreeSet<>();
      Map<String, String> refused = new TreeMap<>();
      Map<String, Optional<String>> tried = installation.createMissingInstructionTopics(admin, names, components);
      tried.forEach((topic, refusal) -> refusal.ifPresentOrElse(why -> refused.put(topic, why),
          () -> created.add(topic)));
      return new Repair(installation, created, refused);
    }
  }
}
