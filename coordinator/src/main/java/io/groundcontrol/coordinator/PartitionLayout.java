package io.groundcontrol.coordinator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.errors.MissingSourceTopicException;
import org.apache.kafka.streams.errors.StreamsException;

/**
 * The partition counts Kafka Streams holds a stateful sub-topology to: one task per partition of
 * its inputs, and a changelog with one partition per task, fixed when the changelog was created.
 * Partitions added to an input later cannot be followed (a key's state stays on the partition it
 * hashed to before), and Kafka Streams then fails every rebalance; this names the topic instead.
 * The topology reads no repartition topics (it is built with the Processor API), so store
 * changelogs are its only internal topics.
 */
final class PartitionLayout {
  /** How an operator gets out of a partition count that grew: README, "Running N coordinator instances". */
  static final String WAY_OUT = "partitions cannot be added to a running installation's topics (Kafka cannot take "
      + "them away again either); to grow, start a new installation with its own --topic-prefix and --application-id "
      + "and more --partitions, and drain this one (README, \"Running N coordinator instances\")";
  private static final String INVALID_PARTITIONS = "has invalid partitions";
  /** How long a source not listed is listed again for, as {@link TopicSetup} describes a topic. */
  private static final Duration SOURCES_WAIT = Duration.ofSeconds(30);

  /** The sources and changelogs of one stateful sub-topology. */
  record Stateful(Set<String> sources, Set<String> changelogs) {}

  private final List<Stateful> stateful;

  PartitionLayout(List<Stateful> stateful) {
    this.stateful = List.copyOf(stateful);
  }

  /** The stateful sub-topologies of {@code topology}, whose changelogs {@code applicationId} names. */
  static PartitionLayout of(Topology topology, String applicationId) {
    List<Stateful> stateful = new ArrayList<>();
    for (TopologyDescription.Subtopology subtopology : topology.describe().subtopologies()) {
      Set<String> sources = new TreeSet<>();
      Set<String> changelogs = new TreeSet<>();
      for (TopologyDescription.Node node : subtopology.nodes()) {
        if (node instanceof TopologyDescription.Source source && source.topicSet() != null) {
          sources.addAll(source.topicSet());
        } else if (node instanceof TopologyDescription.Processor processor) {
          // A store without logging has no changelog topic: it is simply not found below.
          processor.stores().forEach(store -> changelogs.add(applicationId + "-" + store + "-changelog"));
        }
      }
      if (!changelogs.isEmpty()) {
        stateful.add(new Stateful(sources, changelogs));
      }
    }
    return new PartitionLayout(stateful);
  }

  /**
   * Why the topics cannot be run as they are, given each existing topic's partition count
   * ({@code partitions}; a topic left out does not exist): a source missing, or {@link #grown}.
   */
  Optional<String> problem(Map<String, Integer> partitions) {
    for (Stateful group : stateful) {
      Set<String> missing = new TreeSet<>(group.sources());
      missing.removeAll(partitions.keySet());
      if (!missing.isEmpty()) {
        return Optional.of("Expected the coordinator's input topics " + missing + " to exist, but they do not (deleted "
            + "while it ran?); a coordinator that starts creates missing topics again, empty");
      }
    }
    return grown(partitions);
  }

  /**
   * Whether partitions were added to the inputs of a sub-topology since its changelogs were made:
   * a changelog with another count than the tasks its sub-topology now has (the most partitions of
   * its existing sources). Sources and changelogs left out of {@code partitions} are not looked at.
   */
  Optional<String> grown(Map<String, Integer> partitions) {
    for (Stateful group : stateful) {
      Optional<String> widest = group.sources().stream().filter(partitions::containsKey)
          .max((a, b) -> Integer.compare(partitions.get(a), partitions.get(b)));
      if (widest.isEmpty()) {
        continue;
      }
      int tasks = partitions.get(widest.get());
      for (String changelog : group.changelogs()) {
        Integer logged = partitions.get(changelog);
        if (logged != null && logged != tasks) {
          return Optional.of("Topic " + widest.get() + " has " + tasks + " partitions, but the coordinator's changelog "
              + changelog + ", created with its inputs, has " + logged + ": " + WAY_OUT);
        }
      }
    }
    return Optional.empty();
  }

  private Set<String> sources() {
    Set<String> sources = new TreeSet<>();
    stateful.forEach(group -> sources.addAll(group.sources()));
    return sources;
  }

  /** The sources and changelogs of every stateful sub-topology. */
  Set<String> topics() {
    Set<String> topics = new TreeSet<>();
    stateful.forEach(group -> {
      topics.addAll(group.sources());
      topics.addAll(group.changelogs());
    });
    return topics;
  }

  /**
   * {@link #problem} of the topics as they are on the cluster behind {@code admin}. A source not
   * listed is listed again for up to {@link #SOURCES_WAIT} before it counts as missing: topics
   * created a moment ago may not have reached the metadata of the broker that answers yet.
   */
  Optional<String> check(Admin admin) {
    return problem(partitions(admin, SOURCES_WAIT));
  }

  /**
   * {@link #grown} of the topics as they are on the cluster behind {@code admin}, before missing
   * ones are created: where changelogs exist, this is what is wrong when the inputs' counts differ,
   * not {@link TopicSetup}'s co-partitioning (whose advice, to recreate a topic, is for a new
   * installation, and would lose the topic's records and still leave the changelogs' count).
   */
  Optional<String> grown(Admin admin) {
    return grown(partitions(admin, Duration.ZERO));
  }

  /** The partition count of each of {@link #topics} that exists, once every source is listed or {@code wait} passed. */
  private Map<String, Integer> partitions(Admin admin, Duration wait) {
    Set<String> topics = topics();
    Map<String, Integer> partitions = new HashMap<>();
    try {
      long deadline = System.nanoTime() + wait.toNanos();
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      while (!existing.containsAll(sources()) && System.nanoTime() < deadline) {
        TopicSetup.pause();
        existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      }
      topics.retainAll(existing);
      Map<String, KafkaFuture<TopicDescription>> described = admin.describeTopics(topics).topicNameValues();
      for (Map.Entry<String, KafkaFuture<TopicDescription>> topic : described.entrySet()) {
        partitions.put(topic.getKey(), topic.getValue().get(30, TimeUnit.SECONDS).partitions().size());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while describing the coordinator's topics", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Could not describe the coordinator's topics " + topics + ": " + e.getMessage(), e);
    }
    return partitions;
  }

  /**
   * Whether {@code error} is Kafka Streams' answer to a changed layout: a source topic missing, or an
   * internal topic with another partition count than its tasks. A new stream thread fails the same way.
   */
  static boolean concerns(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof MissingSourceTopicException || invalidPartitions(cause)) {
        return true;
      }
    }
    return false;
  }

  /** The one line to stop with when {@link #check} found nothing to name, or could not look. */
  static Optional<String> fallback(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (invalidPartitions(cause)) {
        String message = cause.getMessage();
        int end = message.indexOf(". Use ");
        return Optional.of((end < 0 ? message : message.substring(0, end)) + ": " + WAY_OUT);
      }
    }
    return Optional.empty();
  }

  private static boolean invalidPartitions(Throwable error) {
    return error instanceof StreamsException && error.getMessage() != null
        && error.getMessage().contains(INVALID_PARTITIONS);
  }
}
