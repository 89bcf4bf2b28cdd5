package io.groundcontrol.coordinator;

import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.PlanStage;
import io.groundcontrol.schema.wire.TopicNames;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.time.Duration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates Groundcontrol's topics when they are missing. The coordinator's inputs and the event log
 * share one partition count, so commands, reports and events of a mission stay co-partitioned.
 * An instruction topic gets it too: it caps the worker processes of its component that get work.
 *
 * <p>Each setup, every admin call of it, waits for the cluster at most its limit ({@link
 * #SETUP_LIMIT} unless given), not a limit per call: a setup makes a dozen calls.
 *
 * @param partitions partitions of every mission-keyed topic
 * @param replicationFactor replicas of every topic; 1 on a single broker
 */
public record TopicSetup(int partitions, short replicationFactor) {
  /** How long a setup given no limit waits for the cluster, all its calls together. */
  public static final Duration SETUP_LIMIT = Duration.ofSeconds(30);
  private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);

  /** Checks the numbers. */
  public TopicSetup {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, but was " + partitions);
    }
    if (replicationFactor < 1) {
      throw new IllegalArgumentException("replicationFactor must be at least 1, but was " + replicationFactor);
    }
  }

  /**
   * Setup for a tool writing to the installation named by {@code names}: the partition count its
   * mission-commands topic has, or {@code partitions} if it has none yet (the tool creates the
   * installation's topics); replicas as {@link #forCluster}.
   */
  public static TopicSetup forInstallation(Admin admin, TopicNames names, int partitions) {
    return forInstallation(admin, names, partitions, SETUP_LIMIT);
  }

  /** As {@link #forInstallation(Admin, TopicNames, int)}, asking the cluster for at most {@code within} in all. */
  public static TopicSetup forInstallation(Admin admin, TopicNames names, int partitions, Duration within) {
    Within deadline = Within.from(within);
    return forCluster(admin, partitions, deadline).ofInstallation(admin, names, deadline);
  }

  /**
   * This setup with the partition count the mission-commands topic of {@code names} has, if it
   * exists: the count the installation's instruction topics get, whatever was asked for.
   */
  TopicSetup ofInstallation(Admin admin, TopicNames names) {
    return ofInstallation(admin, names, Within.from(SETUP_LIMIT));
  }

  private TopicSetup ofInstallation(Admin admin, TopicNames names, Within deadline) {
    return existingTopics(admin, deadline).contains(names.missionCommands())
        ? new TopicSetup(partitionCount(admin, names.missionCommands(), deadline), replicationFactor)
        : this;
  }

  /** Setup for the cluster behind {@code admin}: three replicas, or one per broker if it has fewer. */
  public static TopicSetup forCluster(Admin admin, int partitions) {
    return forCluster(admin, partitions, Within.from(SETUP_LIMIT));
  }

  private static TopicSetup forCluster(Admin admin, int partitions, Within deadline) {
    try {
      return forBrokers(partitions, deadline.await(admin.describeCluster().nodes()).size());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while describing the cluster", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("Could not describe the cluster: " + e.getMessage(), e);
    } catch (TimeoutException e) {
      throw deadline.ranOut("describing the cluster", e);
    }
  }

  /** Setup for a cluster of {@code brokers}: three replicas, or one per broker if it has fewer. */
  public static TopicSetup forBrokers(int partitions, int brokers) {
    return new TopicSetup(partitions, (short) Math.max(1, Math.min(3, brokers)));
  }

  /**
   * Gives Kafka Streams' internal topics (the stores' changelogs, repartition topics) as many
   * replicas as Groundcontrol's own. Left unset, Kafka Streams takes the broker's
   * {@code default.replication.factor}, 1 on a stock broker, and one lost broker would take
   * missions, queues and schedules with it. A {@code replication.factor} already in {@code
   * streams} (an operator's override) wins.
   */
  public void replicateInternalTopics(Properties streams) {
    streams.putIfAbsent(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) replicationFactor);
  }

  /**
   * Creates the plans, components, commands, reports, events, dead-letter, schedule, trigger,
   * results, admission (of stages and of missions) and API key topics if missing. The other inputs
   * of the missions processor (reports, the results index's answers, admission grants, mission
   * admissions) get the partition count the commands topic really has, whoever created it, and the
   * scheduler's (schedule commands, scheduled missions' events) the count of the schedules topic:
   * see {@link #coPartitioned}.
   *
   * @throws IllegalStateException if one of those inputs exists with another partition count than its group's
   *     first: to be recreated with that count while none of the two holds a record (a new installation whose
   *     topics were created by hand), else {@link PartitionLayout#WAY_OUT}
   */
  public void ensureCoreTopics(Admin admin, TopicNames names) {
    ensureCoreTopics(admin, names, SETUP_LIMIT);
  }

  /** As {@link #ensureCoreTopics(Admin, TopicNames)}, asking the cluster for at most {@code within} in all. */
  public void ensureCoreTopics(Admin admin, TopicNames names, Duration within) {
    Within deadline = Within.from(within);
    Map<String, String> compacted = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
    create(admin, List.of(
        topic(names.plans(), 1, compacted),
        topic(names.components(), 1, compacted),
        topic(names.componentStatus(), 1, compacted),
        topic(names.missionCommands(), partitions, Map.of()),
        // The audit log: kept until the operator sets a horizon (README, "Topics").
        topic(names.missionEvents(), partitions, Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1")),
        topic(names.deadLetters(), 1, Map.of()),
        topic(names.schedules(), partitions, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
        topic(names.scheduleEvents(), partitions, Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1")),
        topic(names.triggers(), 1, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
        // Internal to the coordinator: the results index's requests (by result hash).
        topic(names.resultsRequests(), partitions, Map.of()),
        topic(names.apiKeys(), 1, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
        topic(names.admissionRequests(), partitions, Map.of()),
        topic(names.missionAdmissionRequests(), partitions, Map.of()),
        topic(names.triggerMatches(), partitions, Map.of())), deadline);
    int missionPartitions = partitionCount(admin, names.missionCommands(), deadline);
    if (missionPartitions != partitions) {
      LOG.warn("Topic {} exists with {} partitions, not the {} asked for: its count stands (partitions cannot be added "
          + "to an installation's topics), so at most {} coordinator instances get work", names.missionCommands(),
          missionPartitions, partitions, missionPartitions);
    }
    for (CoPartitioned group : coPartitioned(names)) {
      int count = partitionCount(admin, group.anchor(), deadline);
      create(admin, group.members().keySet().stream().map(topic -> topic(topic, count, Map.of())).toList(), deadline);
      group.members().forEach((topic, what) -> requireCoPartitioned(admin, topic, group, count, what, deadline));
    }
  }

  /**
   * Inputs of one processor, keyed alike: Kafka Streams does not hold a processor's plain sources to
   * one count, and an input must reach the partition that holds its key's state.
   *
   * @param anchor the input whose partition count the others take (created with the setup's count)
   * @param keys what the inputs are keyed by, plural, for the refusal
   * @param members every other input, with what it carries
   */
  record CoPartitioned(String anchor, String keys, Map<String, String> members) {}

  /** The co-partitioned inputs of the coordinator's topology: the missions' and the scheduler's. */
  static List<CoPartitioned> coPartitioned(TopicNames names) {
    Map<String, String> toMissions = new LinkedHashMap<>();
    toMissions.put(names.stageReports(), "reports");
    toMissions.put(names.resultsAnswers(), "results index answers");
    toMissions.put(names.admissionGrants(), "grants");
    toMissions.put(names.missionAdmissions(), "admissions");
    Map<String, String> toSchedules = new LinkedHashMap<>();
    toSchedules.put(names.scheduleCommands(), "schedule commands");
    toSchedules.put(names.scheduledMissionEvents(), "the ends of scheduled missions");
    return List.of(new CoPartitioned(names.missionCommands(), "missions", toMissions),
        new CoPartitioned(names.schedules(), "schedules", toSchedules));
  }

  private static void requireCoPartitioned(Admin admin, String topic, CoPartitioned group, int count, String what,
      Within deadline) {
    int partitionCount = partitionCount(admin, topic, deadline);
    if (partitionCount == count) {
      return;
    }
    if (holdsRecords(admin, deadline, topic, group.anchor())) {
      // Partitions were added to one of them: recreating either would lose its records, and the
      // coordinator's changelogs would keep the count they were made with.
      throw new IllegalStateException("Topic " + group.anchor() + " has " + count + " partitions and " + topic
          + " has " + partitionCount + ", and they hold records already: " + PartitionLayout.WAY_OUT);
    }
    throw new IllegalStateException("Expected topic " + topic + " to have as many partitions as "
        + group.anchor() + " (" + count + "), but it has " + partitionCount
        + ": " + what + " would reach the wrong " + group.keys() + "; recreate it with " + count + " partitions");
  }

  /**
   * Whether a record was ever written to one of {@code topics} (retention does not make one new
   * again); true if Kafka could not tell, which leads to the advice that loses nothing.
   */
  private static boolean holdsRecords(Admin admin, Within deadline, String... topics) {
    Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
    for (String topic : topics) {
      for (int partition = 0; partition < partitionCount(admin, topic, deadline); partition++) {
        ends.put(new TopicPartition(topic, partition), OffsetSpec.latest());
      }
    }
    try {
      return deadline.await(admin.listOffsets(ends).all()).values().stream().anyMatch(end -> end.offset() > 0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while reading the end offsets of " + List.of(topics), e);
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("Could not read the end offsets of {} ({}); taking them to hold records", List.of(topics), e.getMessage());
      return true;
    }
  }

  /** The topic's partition count; a topic created a moment ago may take a while to be known everywhere. */
  static int partitionCount(Admin admin, String topic) {
    return partitionCount(admin, topic, Within.from(SETUP_LIMIT));
  }

  private static int partitionCount(Admin admin, String topic, Within deadline) {
    while (true) {
      try {
        return deadline.await(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic).partitions().size();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while describing topic " + topic, e);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || deadline.passed()) {
          throw new IllegalStateException("Could not describe topic " + topic + ": " + e.getMessage(), e);
        }
        pause();
      } catch (TimeoutException e) {
        throw deadline.ranOut("describing topic " + topic, e);
      }
    }
  }

  /** Waits a moment before asking the cluster's metadata again. */
  static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for topic metadata", e);
    }
  }

  /** Creates the instruction topic of every component the plan uses, if missing. */
  public void ensureInstructionTopics(Admin admin, TopicNames names, Plan plan) {
    ensureInstructionTopics(admin, names, plan, SETUP_LIMIT);
  }

  /** As {@link #ensureInstructionTopics(Admin, TopicNames, Plan)}, asking the cluster at most {@code within} in all. */
  public void ensureInstructionTopics(Admin admin, TopicNames names, Plan plan, Duration within) {
    Set<String> components = new TreeSet<>();
    for (PlanStage stage : plan.getStages()) {
      components.add(stage.getComponent());
    }
    List<NewTopic> topics = new ArrayList<>();
    for (String component : components) {
      topics.add(topic(names.instructions(component), partitions, Map.of()));
    }
    create(admin, topics, Within.from(within));
  }

  /**
   * Creates the instruction topic of each of {@code components} that is missing, each on its own, so
   * that one the cluster refuses (no Create ACL, a creation policy, too few brokers for the replicas)
   * keeps none of the others from being created.
   *
   * @return per topic it tried to create: empty once created, else why not, in one line
   */
  Map<String, Optional<String>> createMissingInstructionTopics(Admin admin, TopicNames names,
      Collection<String> components) {
    Within deadline = Within.from(SETUP_LIMIT);
    Set<String> existing = existingTopics(admin, deadline);
    List<NewTopic> missing = new TreeSet<>(components).stream().map(names::instructions)
        .filter(name -> !existing.contains(name)).map(name -> topic(name, partitions, Map.of())).toList();
    Map<String, Optional<String>> tried = new TreeMap<>();
    if (missing.isEmpty()) {
      return tried;
    }
    admin.createTopics(missing).values().forEach((name, creation) -> {
      try {
        deadline.await(creation);
        tried.put(name, Optional.empty());
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          tried.put(name, Optional.of(e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage()));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        tried.put(name, Optional.of("interrupted"));
      } catch (TimeoutException e) {
        tried.put(name, Optional.of("no answer from the cluster within " + SETUP_LIMIT.toSeconds() + " s"));
      }
    });
    return tried;
  }

  private NewTopic topic(String name, int count, Map<String, String> configs) {
    return new NewTopic(name, count, replicationFactor).configs(configs);
  }

  /** The names of the cluster's topics. */
  static Set<String> existingTopics(Admin admin) {
    return existingTopics(admin, Within.from(SETUP_LIMIT));
  }

  private static Set<String> existingTopics(Admin admin, Within deadline) {
    return topicIds(admin, deadline).keySet();
  }

  /** The cluster's topics, each with its id: a topic deleted and created again has another. */
  static Map<String, Uuid> topicIds(Admin admin) {
    return topicIds(admin, Within.from(SETUP_LIMIT));
  }

  private static Map<String, Uuid> topicIds(Admin admin, Within deadline) {
    try {
      Map<String, Uuid> ids = new HashMap<>();
      deadline.await(admin.listTopics().listings()).forEach(topic -> ids.put(topic.name(), topic.topicId()));
      return ids;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while listing topics", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("Could not list topics: " + e.getMessage(), e);
    } catch (TimeoutException e) {
      throw deadline.ranOut("listing topics", e);
    }
  }

  private static void create(Admin admin, List<NewTopic> topics, Within deadline) {
    Set<String> existing = existingTopics(admin, deadline);
    List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t.name())).toList();
    if (missing.isEmpty()) {
      return;
    }
    try {
      deadline.await(admin.createTopics(missing).all());
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("Could not create topics " + missing + ": " + e.getCause().getMessage(), e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating topics", e);
    } catch (TimeoutException e) {
      throw deadline.ranOut("creating topics " + missing.stream().map(NewTopic::name).toList(), e);
    }
  }

  /** When one setup must be over: each of its admin calls waits for what is left. */
  private record Within(long endNanos, Duration limit) {
    static Within from(Duration limit) {
      return new Within(System.nanoTime() + limit.toNanos(), limit);
    }

    <T> T await(KafkaFuture<T> call) throws InterruptedException, ExecutionException, TimeoutException {
      return call.get(Math.max(0, endNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    boolean passed() {
      return System.nanoTime() - endNanos >= 0;
    }

    /** The failure of a setup whose limit ran out while {@code doing} something; caused by a timeout. */
    IllegalStateException ranOut(String doing, TimeoutException cause) {
      TimeoutException noAnswer = new TimeoutException("no answer from the cluster within " + limit.toSeconds()
          + " s, the topic setup's limit, while " + doing);
      noAnswer.initCause(cause);
      return new IllegalStateException("Could not set up the topics: " + noAnswer.getMessage(), noAnswer);
    }
  }
}
