package io.groundcontrol.coordinator;

import io.groundcontrol.client.KafkaAccessErrors;
import io.groundcontrol.schema.wire.TopicNames;
import io.groundcontrol.trigger.TriggerReadRefusal;
import io.groundcontrol.trigger.TriggerStatus;
import io.groundcontrol.trigger.TriggerTopicWatcher;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.streams.KafkaClientSupplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.processor.internals.GlobalStreamThread;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running coordinator instance: the topology of {@link CoordinatorTopology} in a
 * {@link KafkaStreams}. Start as many instances as you like with the same config on different
 * machines; Kafka Streams shares the partitions among them.
 */
public final class Coordinator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);

  private final CoordinatorConfig config;
  private final Properties properties;
  private final TriggerTopicWatcher triggerTopics;
  /** Where Kafka Streams gets its clients; null for its own. */
  private final KafkaClientSupplier clients;
  private final AtomicReference<String> refused = new AtomicReference<>();
  private final AtomicBoolean failed = new AtomicBoolean();
  private final PartitionLayout layout;
  private final InputStalls stalls = new InputStalls(System::currentTimeMillis);
  private final InstructionTopicWatch instructionTopics;
  private final HangingTransactionWatch hangingTransactions;
  private volatile StreamsRestarts streams;
  private volatile RestoringChangelogs restoring;

  private Coordinator(
      CoordinatorConfig config, Properties properties, TriggerTopicWatcher triggerTopics, KafkaClientSupplier clients,
      PartitionLayout layout, InstructionTopicWatch instructionTopics) {
    this.config = config;
    this.layout = layout;
    this.properties = properties;
    // The error handlers tell it which inputs their failures held up (see their configure).
    properties.put(InputStalls.CONFIG, stalls);
    // The topology tells it which components it dispatches to.
    properties.put(InstructionTopicWatch.CONFIG, instructionTopics);
    this.instructionTopics = instructionTopics;
    this.triggerTopics = triggerTopics;
    this.clients = clients;
    this.hangingTransactions = new HangingTransactionWatch(config,
        () -> streams == null ? KafkaStreams.State.CREATED : streams.current().state(), this::heldPartitions,
        () -> restoring == null ? Optional.empty() : restoring.lastRestored());
  }

  /**
   * Creates missing topics, starts processing and waits until the instance is RUNNING. The
   * topology reads the topics of the event triggers applied now; when that set changes, the
   * instance rebuilds its topology and restarts its streams (stores stay on disk).
   *
   * @param setup partitions and replication of topics created here, Kafka Streams' internal topics included
   * @param timeout how long to wait for RUNNING
   * @throws CoordinatorStoppedException if the cluster refused its credentials or an ACL it needs, or
   *     partitions were added to its topics since their changelogs were created ({@link PartitionLayout})
   * @throws IllegalStateException if the instance is not RUNNING within {@code timeout}
   */
  public static Coordinator start(CoordinatorConfig config, TopicSetup setup, Duration timeout) {
    return start(config, setup, timeout, null);
  }

  /**
   * As {@link #start(CoordinatorConfig, TopicSetup, Duration)}, with Kafka clients from {@code
   * clients} (null: Kafka Streams' own): the benchmark's probes time the producer's commits this way.
   */
  public static Coordinator start(
      CoordinatorConfig config, TopicSetup setup, Duration timeout, KafkaClientSupplier clients) {
    Properties properties = streamsProperties(config, setup);
    PartitionLayout layout = PartitionLayout.of(CoordinatorTopology.build(config), config.applicationId());
    try (Admin admin = config.connection().admin()) {
      setUpTopics(admin, setup, config.topics(), layout,
          () -> StoredPlanComponents.read(config.connection(), config.topics()));
      inputPartitions(admin, config).forEach(
          (topic, partitions) -> properties.put(InputRouting.partitionsConfig(topic), partitions));
      if (config.exactlyOnce()) {
        BrokerRetryAdvice.adviseOnce(admin);
      }
    }
    TriggerTopicWatcher watcher = new TriggerTopicWatcher(config.connection(), config.topics());
    Set<String> topics = watcher.topics();
    Coordinator coordinator = new Coordinator(config, properties, watcher, clients, layout,
        new InstructionTopicWatch(config.connection().admin(), setup, config.topics()));
    coordinator.instructionTopics.start();
    coordinator.hangingTransactions.start();
    CountDownLatch running = new CountDownLatch(1);
    coordinator.streams = new StreamsRestarts(coordinator.startStreams(topics, running),
        next -> coordinator.startStreams(next, new CountDownLatch(1)));
    try {
      if (!running.await(timeout.toMillis(), TimeUnit.MILLISECONDS) || coordinator.failed.get()) {
        KafkaStreams.State state = coordinator.streams.current().state();
        coordinator.close();
        if (coordinator.refused.get() != null) {
          throw new CoordinatorStoppedException(coordinator.refused.get());
        }
        throw new IllegalStateException("Coordinator did not reach RUNNING within " + timeout + " (state "
            + state + ") against " + config.bootstrapServers()
            + coordinator.hangingTransactions.hanging().map(reason -> ": " + reason).orElse(""));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      coordinator.close();
      throw new IllegalStateException("Interrupted while starting the coordinator", e);
    }
    watcher.watch(topics, coordinator.streams::restartWith);
    return coordinator;
  }

  /**
   * Creates missing topics, then checks the layout. Partitions added to an input whose changelogs
   * exist are named first: the co-partitioning check of {@link TopicSetup#ensureCoreTopics} would
   * otherwise see only the inputs' counts differ.
   *
   * <p>Then the instruction topics of the components that the latest plans name are repaired
   * ({@link InstructionTopicWatch#repairAtStart}).
   *
   * @param latestComponents the components the latest plans name, asked for once the plans topic exists
   * @throws CoordinatorStoppedException if the topics cannot be run ({@link PartitionLayout})
   */
  static void setUpTopics(Admin admin, TopicSetup setup, TopicNames names, PartitionLayout layout,
      Supplier<Set<String>> latestComponents) {
    layout.grown(admin).ifPresent(problem -> {
      throw new CoordinatorStoppedException(problem);
    });
    setup.ensureCoreTopics(admin, names);
    layout.check(admin).ifPresent(problem -> {
      throw new CoordinatorStoppedException(problem);
    });
    InstructionTopicWatch.repairAtStart(admin, setup, names, latestComponents.get());
  }

  /** The Kafka Streams properties of an instance started with {@code config} on topics set up by {@code setup}. */
  static Properties streamsProperties(CoordinatorConfig config, TopicSetup setup) {
    Properties properties = config.streamsProperties();
    StaticMembership.apply(properties, config.stateDir(), config.applicationId());
    setup.replicateInternalTopics(properties);
    return properties;
  }

  private KafkaStreams startStreams(Set<String> triggerTopics, CountDownLatch running) {
    Topology topology = CoordinatorTopology.build(config, triggerTopics, properties);
    KafkaStreams started = clients == null
        ? new KafkaStreams(topology, properties)
        : new KafkaStreams(topology, properties, clients);
    RecoveryLog recovery = new RecoveryLog();
    RestoringChangelogs restoring = new RestoringChangelogs(recovery, Clock.systemUTC());
    started.setGlobalStateRestoreListener(restoring);
    this.restoring = restoring;
    started.setStateListener((next, previous) -> {
      if (next == KafkaStreams.State.ERROR) {
        failed.set(true);
      }
      if (next == KafkaStreams.State.RUNNING || next == KafkaStreams.State.ERROR) {
        running.countDown();
      }
      if (next == KafkaStreams.State.REBALANCING && previous == KafkaStreams.State.RUNNING) {
        LOG.info("Rebalancing: missions move between coordinator instances (expected when an instance or a broker "
            + "comes or goes)");
      } else if (next == KafkaStreams.State.RUNNING) {
        LOG.info("Running" + recovery.summary().map(summary -> "; " + summary).orElse(""));
      }
    });
    started.setUncaughtExceptionHandler(e -> {
      Optional<Set<String>> refusedTriggers = TriggerReadRefusal.topics(e, triggerTopics);
      if (refusedTriggers.isPresent()) {
        // Their READ was revoked since the last check: the watcher now leaves them out. Only an
        // operator's grant heals this, and the rest of the coordinator must not wait for it.
        LOG.error("The cluster refused {} trigger topics {}; their triggers stay inert until READ is granted. Replacing "
            + "the stream thread and rebuilding the topology without them", config.connection().principal(),
            refusedTriggers.get());
        this.triggerTopics.checkNow();
        return StreamThreadExceptionResponse.REPLACE_THREAD;
      }
      Optional<String> access = KafkaAccessErrors.describe(e, config.connection());
      if (access.isPresent()) {
        // A refused credential or a missing ACL does not heal by retrying: stop and say which.
        refused.compareAndSet(null, access.get());
        LOG.error("Coordinator stopped: {}", access.get());
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
      }
      if (fencedInstance(e)) {
        // Replacing the thread would fence the other instance in turn, and so on for ever.
        String reason = "another coordinator instance joined with this one's instance id "
            + properties.get(StaticMembership.INSTANCE_ID_CONFIG) + " (a copied state dir, or group.instance.id set "
            + "twice); this instance stops";
        refused.compareAndSet(null, reason);
        LOG.error("Coordinator stopped: {}", reason);
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
      }
      if (PartitionLayout.concerns(e)) {
        Optional<String> problem = layoutProblem(e);
        if (problem.isPresent()) {
          // A new thread would fail the same way at every rebalance, while the instance looked RUNNING.
          refused.compareAndSet(null, problem.get());
          LOG.error("Coordinator stopped: {}", problem.get());
          return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        // A trigger's topic deleted since the watcher's last check: it rebuilds the topology without it.
        this.triggerTopics.checkNow();
      }
      if (Thread.currentThread() instanceof GlobalStreamThread) {
        // Kafka Streams cannot replace the thread that reads the global stores (4.3 closes the client
        // and then throws a ClassCastException when asked to): say so, and stop like any other stop.
        String reason = "the thread that reads plans, components and triggers failed ("
            + InputStalls.oneLine(e) + "); Kafka Streams cannot replace it, so this instance stops";
        refused.compareAndSet(null, reason);
        LOG.error("Coordinator stopped: {}", reason, e);
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
      }
      // Records cannot stop the coordinator (they are dead-lettered or rejected, and what it writes
      // is bounded well within Kafka's record limit; ProductionErrors names a record that is not);
      // what reaches here is infrastructure trouble, which a fresh thread retries from the last commit.
      LOG.error("Stream thread failed; replacing it", e);
      stalls.threadFailed(e);
      return StreamThreadExceptionResponse.REPLACE_THREAD;
    });
    started.start();
    return started;
  }

  /** What is wrong with the topics' layout after Kafka Streams found fault with it; empty if nothing of the coordinator's own. */
  private Optional<String> layoutProblem(Throwable error) {
    try (Admin admin = config.connection().admin()) {
      Optional<String> problem = layout.check(admin);
      return problem.isPresent() ? problem : PartitionLayout.fallback(error);
    } catch (RuntimeException e) {
      LOG.warn("Could not check the partitions of the coordinator's topics: {}", e.getMessage());
      return PartitionLayout.fallback(error);
    }
  }

  /** Partition counts of the input topics, against which each input's partition is checked (InputRouting). */
  private static Map<String, Integer> inputPartitions(Admin admin, CoordinatorConfig config) {
    List<String> inputs = List.of(config.topics().stageReports(), config.topics().missionCommands());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    try {
      while (true) {
        try {
          Map<String, Integer> partitions = new HashMap<>();
          admin.describeTopics(inputs).allTopicNames().get(30, TimeUnit.SECONDS)
              .forEach((topic, description) -> partitions.put(topic, description.partitions().size()));
          return partitions;
        } catch (ExecutionException e) {
          // Topics created a moment ago may not have reached every broker's metadata yet.
          if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)
              || System.nanoTime() > deadline) {
            throw e;
          }
          java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while describing " + inputs, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Could not describe " + inputs + ": " + e.getMessage(), e);
    }
  }

  /** The Kafka Streams instance, for state and metrics; a new one after the trigger topics change. */
  public KafkaStreams streams() {
    return streams.current();
  }

  /**
   * Why the instance stopped by itself, in one line: the cluster refused its credentials or an ACL
   * it needs (naming the principal and the topic, group or transactional id), another instance
   * joined with its instance id, its topics' partitions changed under it ({@link PartitionLayout}),
   * or its streams could not be restarted for new trigger topics.
   * Empty while it runs.
   */
  public Optional<String> stopped() {
    return Optional.ofNullable(refused.get()).or(streams::stopped);
  }

  /**
   * Why a restart of the process is due: the coordinator stopped by itself ({@link #stopped}), or its
   * streams have been stuck REBALANCING for minutes though Kafka answers and nothing Kafka holds
   * explains it ({@link HangingTransactionWatch#restartDue}). Empty while neither.
   */
  public Optional<String> restartDue() {
    return stopped().or(hangingTransactions::restartDue);
  }

  /**
   * Input partitions of this instance with records waiting that have not moved for {@link
   * InputStall#NOT_READY_AFTER} or more ({@link InputStalls}); empty while they move. Cheap enough
   * for every probe: the answer is kept for a second.
   */
  public Optional<InputStall> stall() {
    return stalls.stall(() -> InputStalls.activeTasks(streams.current()));
  }

  /**
   * Why this instance's tasks cannot start or go on though Kafka answers: an open transaction on its
   * group's offsets, a changelog it restores or an input of its tasks ({@link HangingTransactionWatch}),
   * in one line naming it, whether Kafka ends it, and the command that aborts it if not. Empty while
   * none is found.
   */
  public Optional<String> hanging() {
    return hangingTransactions.hanging();
  }

  /** The changelogs this instance restores and its active tasks' inputs, where an open transaction holds it up. */
  private List<HangingTransactionWatch.Held> heldPartitions() {
    List<HangingTransactionWatch.Held> held = new ArrayList<>();
    RestoringChangelogs changelogs = restoring;
    if (changelogs != null) {
      changelogs.now().forEach((partition, store) -> held.add(HangingTransactionWatch.Held.changelog(partition, store)));
    }
    if (streams != null) {
      streams.current().metadataForLocalThreads().forEach(thread -> thread.activeTasks().forEach(task ->
          task.topicPartitions().forEach(partition ->
              held.add(HangingTransactionWatch.Held.input(partition, task.taskId().toString())))));
    }
    return held;
  }

  /**
   * Each applied event trigger and whether this instance reads its topic (waiting for it, or inert
   * and why), as of its last check of the trigger topics.
   */
  public List<TriggerStatus> triggers() {
    return triggerTopics.statuses();
  }

  public CoordinatorConfig config() {
    return config;
  }

  private static boolean fencedInstance(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof FencedInstanceIdException) {
        return true;
      }
    }
    return false;
  }

  /** Stops processing after committing what was processed; waits up to 30 s. */
  @Override
  public void close() {
    triggerTopics.close();
    instructionTopics.close();
    hangingTransactions.close();
    streams.close(Duration.ofSeconds(30));
  }
}
