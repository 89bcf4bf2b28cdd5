package io.groundcontrol.client;

import io.groundcontrol.schema.wire.TopicNames;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberAssignment;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupAuthorizationException;

/**
 * Which workers are live, per component: the members of the component's consumer group that work
 * for this installation's instruction topic, as the group coordinator on the broker sees them. That is the truth that matters for dispatch (a member
 * is who Kafka gives the component's instructions to), it holds for workers in any language that
 * speak the topic contract, and it needs no topic or report of its own. A worker that died stays a
 * member until its session times out: seconds with the SDK's default failover timeout.
 */
public final class LiveWorkers implements AutoCloseable {
  private static final String SDK_CLIENT_PREFIX = "groundcontrol-worker-";
  private static final String SDK_CLIENT_SUFFIX = "-consumer";
  private final Admin admin;
  private final TopicNames topics;

  public LiveWorkers(KafkaConnection kafka, TopicNames topics) {
    this.admin = kafka.admin();
    this.topics = topics;
  }

  /** The components with an instruction topic, by name. */
  public List<String> components() {
    String prefix = topics.instructions("x");
    prefix = prefix.substring(0, prefix.length() - 1);
    String instructionPrefix = prefix;
    return get(admin.listTopics().names()).stream()
        .filter(name -> name.startsWith(instructionPrefix))
        .map(name -> name.substring(instructionPrefix.length()))
        .sorted()
        .toList();
  }

  /**
   * The live workers of each component, by worker id (or client id, for workers not on the SDK); empty if none.
   *
   * @throws GroupAuthorizationException if this principal may not describe a component's consumer group
   */
  public Map<String, List<String>> of(Collection<String> components) {
    Map<String, List<String>> live = new TreeMap<>();
    if (components.isEmpty()) {
      return live;
    }
    Map<String, KafkaFuture<ConsumerGroupDescription>> described =
        admin.describeConsumerGroups(List.copyOf(components)).describedGroups();
    for (String component : components) {
      List<String> members = new ArrayList<>();
      try {
        String topic = topics.instructions(component);
        for (MemberDescription member : described.get(component).get(15, TimeUnit.SECONDS).members()) {
          if (!worksFor(member, topic)) {
            continue;
          }
          members.add(workerId(member.clientId()) + "@" + member.host().replaceFirst("^/", ""));
        }
      } catch (ExecutionException e) {
        if (e.getCause() instanceof GroupAuthorizationException refused) {
          // Not "no worker": the caller may not look, which its ACLs must say (`acl print`).
          throw refused;
        }
        // No such group yet: no worker of the component ever joined.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while describing consumer groups", e);
      } catch (TimeoutException e) {
        throw new IllegalStateException("Kafka did not describe consumer group '" + component + "' within 15 s", e);
      }
      members.sort(null);
      live.put(component, members);
    }
    return live;
  }

  /**
   * Whether a member of a component's group is a worker of this installation. The group id is the
   * bare component name, shared by every installation on the cluster with that component, so the
   * group may hold another prefix's workers: a member that holds (or is being given) partitions of
   * other topics only is one of those. A member that holds no partition at all is counted: the
   * admin API does not show what it subscribes to, and it is either between assignments (a classic
   * group describes no member's assignment while it rebalances, so dropping these would report "no
   * live worker" at every rebalance) or a standby beyond the topic's partition count.
   */
  static boolean worksFor(MemberDescription member, String instructionTopic) {
    List<TopicPartition> partitions = new ArrayList<>(member.assignment().topicPartitions());
    member.targetAssignment().map(MemberAssignment::topicPartitions).ifPresent(partitions::addAll);
    return partitions.isEmpty() || partitions.stream().anyMatch(p -> p.topic().equals(instructionTopic));
  }

  static String workerId(String clientId) {
    if (clientId.startsWith(SDK_CLIENT_PREFIX) && clientId.endsWith(SDK_CLIENT_SUFFIX)
        && clientId.length() > SDK_CLIENT_PREFIX.length() + SDK_CLIENT_SUFFIX.length()) {
      return clientId.substring(SDK_CLIENT_PREFIX.length(), clientId.length() - SDK_CLIENT_SUFFIX.length());
    }
    return clientId;
  }

  private static <T> T get(KafkaFuture<T> future) {
    try {
      return future.get(15, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while asking Kafka", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("Kafka did not answer: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("Kafka did not answer within 15 s", e);
    }
  }

  @Override
  public void close() {
    admin.close();
  }
}
