package io.groundcontrol.trigger;

import io.groundcontrol.client.CompactedTopic;
import io.groundcontrol.client.KafkaConnection;
import io.groundcontrol.coordinator.PeriodicCheck;
import io.groundcontrol.schema.Trigger;
import io.groundcontrol.schema.wire.AvroSerde;
import io.groundcontrol.schema.wire.TopicNames;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which topics the trigger sub-topology must read: those of the applied triggers that exist, but
 * none of Groundcontrol's own. Checked every {@link #INTERVAL}; a change is passed on so that the
 * coordinator rebuilds its topology (a Kafka Streams topology's sources are fixed when built).
 *
 * <p>A topic the cluster does not let the coordinator read is left out, as one that does not exist
 * yet is: reading it would stop every instance. Its triggers stay inert, with an error logged once
 * naming each of them and the topic, until READ is granted; the next check then adds the topic.
 */
public final class TriggerTopicWatcher implements AutoCloseable {
  /** How often the applied triggers and existing topics are checked. */
  public static final Duration INTERVAL = Duration.ofSeconds(5);
  private static final Logger LOG = LoggerFactory.getLogger(TriggerTopicWatcher.class);

  private final KafkaConnection kafka;
  private final TopicNames names;
  private final Admin admin;
  private final TriggerTopicRefusals refusals;
  private final CheckFailures failures = new CheckFailures();
  private final PeriodicCheck check = new PeriodicCheck("groundcontrol-trigger-topics", INTERVAL, failures::failed);
  private volatile List<TriggerStatus> statuses = List.of();

  public TriggerTopicWatcher(KafkaConnection kafka, TopicNames names) {
    this.kafka = kafka;
    this.names = names;
    this.admin = kafka.admin();
    this.refusals = new TriggerTopicRefusals(kafka.principal());
  }

  /**
   * The topics to read now: those of the applied triggers that exist and that the coordinator may
   * read. Also sets what {@link #statuses()} answers.
   */
  public Set<String> topics() {
    Map<String, String> topicOfTrigger = new TreeMap<>();
    Collection<Trigger> triggers =
        CompactedTopic.read(kafka, names.triggers(), AvroSerde.of(Trigger.class).deserializer()).values();
    triggers.forEach(trigger -> topicOfTrigger.put(trigger.getName(), trigger.getTopic()));
    topicOfTrigger.values().removeIf(topic -> topic.startsWith(names.prefix() + "."));
    Map<String, TopicAccess> access = access(new TreeSet<>(topicOfTrigger.values()));
    refusals.newlyRefused(topicOfTrigger, access).forEach(LOG::error);
    statuses = TriggerStatus.of(triggers, access, names.prefix() + ".", refusals);
    Set<String> readable = new TreeSet<>();
    access.forEach((topic, allowed) -> {
      if (allowed == TopicAccess.READABLE) {
        readable.add(topic);
      }
    });
    return readable;
  }

  private Map<String, TopicAccess> access(Set<String> topics) {
    Map<String, TopicAccess> access = new TreeMap<>();
    if (topics.isEmpty()) {
      return access;
    }
    Map<String, KafkaFuture<TopicDescription>> described = admin.describeTopics(
        topics, new DescribeTopicsOptions().includeAuthorizedOperations(true)).topicNameValues();
    try {
      for (Map.Entry<String, KafkaFuture<TopicDescription>> topic : described.entrySet()) {
        try {
          access.put(topic.getKey(), TopicAccess.of(topic.getValue().get(30, TimeUnit.SECONDS)));
        } catch (ExecutionException e) {
          access.put(topic.getKey(), TopicAccess.ofFailure(topic.getKey(), e.getCause()));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while describing trigger topics", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("Could not describe trigger topics " + topics + " within 30 s", e);
    }
    return access;
  }

  /**
   * Each applied trigger and whether it reads its topic, as of the last check: the one account of
   * inert triggers, which the coordinator logs and its API lists.
   */
  public List<TriggerStatus> statuses() {
    return statuses;
  }

  /**
   * Calls {@code onChange} from a background thread whenever {@link #topics()} differs from {@code
   * current}, and at each check after it threw, with the topics of then (see {@link TopicSetChanges}).
   */
  public void watch(Set<String> current, Consumer<Set<String>> onChange) {
    TopicSetChanges changes = new TopicSetChanges(current, onChange);
    check.start(() -> {
      changes.check(topics());
      failures.succeeded();
    });
  }

  /** Checks at once instead of at the end of the interval: the cluster just refused a topic being read. */
  public void checkNow() {
    check.now();
  }

  @Override
  public void close() {
    check.close();
    admin.close();
  }

  /**
   * How a failed check is logged. Kafka not answering (the cluster away for minutes) fails every
   * check the same way, 15 s into it: that is one line, logged again only once a check succeeded or
   * the words changed, as the instruction topic watch does, not a warning with its causes every 20 s.
   * Any other failure is unexpected, and logged with its stack trace each time.
   */
  static final class CheckFailures {
    private String lastNoAnswer;

    void failed(RuntimeException e) {
      if (!(e instanceof org.apache.kafka.common.errors.TimeoutException)) {
        LOG.warn("Could not check the trigger topics or act on their change; trying again in {} s",
            INTERVAL.toSeconds(), e);
        return;
      }
      String line = "Could not check the trigger topics: " + e.getMessage() + "; trying again every "
          + INTERVAL.toSeconds() + " s";
      if (!line.equals(lastNoAnswer)) {
        LOG.warn(line);
        lastNoAnswer = line;
      }
    }

    void succeeded() {
      lastNoAnswer = null;
    }
  }
}
