package io.groundcontrol.cli;

import io.groundcontrol.coordinator.CoordinatorConfig;
import io.groundcontrol.schema.wire.TopicNames;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * Refuses, before a coordinator joins its Kafka Streams group, an application id that holds another
 * installation's state. Two installations in one group stall each other for good while both say
 * RUNNING (the group's leader assigns only its own topology's topics), and would share their stores.
 * An installation is known in a group by its {@code mission-commands} and {@code stage-reports}
 * together, among the topics the group has committed offsets on or its members hold now; one of
 * them alone may be a trigger's topic.
 */
final class ApplicationIdCheck {
  /** The application id `coordinator` took whatever its topic prefix until 2026-12-06. */
  static final String FORMER_DEFAULT = "groundcontrol-coordinator";

  private static final String COMMANDS_SUFFIX =
      TopicNames.DEFAULT.missionCommands().substring(TopicNames.DEFAULT.prefix().length());

  private ApplicationIdCheck() {}

  /**
   * Why the coordinator of {@code topics} must not start under {@code applicationId}, if it must not.
   *
   * @param defaulted whether the id is the default, not given with {@code --application-id}
   * @throws IllegalStateException if Kafka could not tell (the caller warns and starts)
   */
  static Optional<String> refusal(Admin admin, TopicNames topics, String applicationId, boolean defaulted) {
    Set<String> formerDefault = checksFormerDefault(applicationId, defaulted)
        ? installationsIn(admin, FORMER_DEFAULT)
        : Set.of();
    return decide(topics, applicationId, defaulted, formerDefault, installationsIn(admin, applicationId));
  }

  /**
   * The decision of {@link #refusal}, given the installations (topic prefixes) in the group of the
   * former default id and in the group of {@code applicationId}.
   */
  static Optional<String> decide(TopicNames topics, String applicationId, boolean defaulted,
      Set<String> inFormerDefault, Set<String> inApplicationId) {
    if (checksFormerDefault(applicationId, defaulted) && inFormerDefault.contains(topics.prefix())) {
      return Optional.of("This installation (--topic-prefix " + topics.prefix() + ") ran under application id "
          + FORMER_DEFAULT + ", the default before 2026-12-06, and its missions, queues and schedules are stored under "
          + "that id; the default is now " + applicationId + ": pass --application-id " + FORMER_DEFAULT
          + " to keep them");
    }
    Set<String> others = new TreeSet<>(inApplicationId);
    others.remove(topics.prefix());
    if (others.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of("Application id " + applicationId + " is taken by the installation with --topic-prefix "
        + String.join(", ", others) + " (its group consumes " + new TopicNames(others.iterator().next()).missionCommands()
        + "): two installations under one application id stall each other and share their stores; give this one "
        + (defaulted ? "another --application-id" : "an --application-id of its own (by default "
            + CoordinatorConfig.defaultApplicationId(topics) + ")"));
  }

  /** The topic prefixes of the installations whose mission commands and reports are both among {@code topics}. */
  static Set<String> installations(Set<String> topics) {
    Set<String> prefixes = new TreeSet<>();
    for (String topic : topics) {
      if (topic.endsWith(COMMANDS_SUFFIX) && topic.length() > COMMANDS_SUFFIX.length()) {
        String prefix = topic.substring(0, topic.length() - COMMANDS_SUFFIX.length());
        try {
          if (topics.contains(new TopicNames(prefix).stageReports())) {
            prefixes.add(prefix);
          }
        } catch (IllegalArgumentException notAPrefix) {
          // A topic no installation could own.
        }
      }
    }
    return prefixes;
  }

  /** An installation started before the default changed kept its state under the former default. */
  private static boolean checksFormerDefault(String applicationId, boolean defaulted) {
    return defaulted && !applicationId.equals(FORMER_DEFAULT);
  }

  /** The installations in {@code group}: in its committed offsets, and in what its members hold now. */
  private static Set<String> installationsIn(Admin admin, String group) {
    Set<String> topics = new HashSet<>();
    try {
      admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
          .keySet().forEach(partition -> topics.add(partition.topic()));
      ConsumerGroupDescription description =
          admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get(30, TimeUnit.SECONDS);
      description.members().forEach(member ->
          member.assignment().topicPartitions().forEach(partition -> topics.add(partition.topic())));
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof GroupIdNotFoundException)) {
        throw new IllegalStateException("Could not describe group " + group + ": " + e.getCause().getMessage(), e);
      }
    } catch (TimeoutException e) {
      throw new IllegalStateException("Timed out describing group " + group, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while describing group " + group, e);
    }
    return installations(topics);
  }
}
