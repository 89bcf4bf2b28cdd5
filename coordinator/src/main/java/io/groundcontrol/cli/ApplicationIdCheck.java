package io.groundcontrol.cli;

import io.groundcontrol.coordinator.CoordinatorConfig;
import io.groundcontrol.schema.wire.TopicNames;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
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
 *
 * <p>Until 2026-12-06 every installation defaulted to {@link #FORMER_DEFAULT}. It stays the id of
 * the installation whose prefix makes it its default ({@code groundcontrol}); another found in
 * that group, alone, may keep its state there, but one that shared it moves to its own id.
 */
final class ApplicationIdCheck {
  /** The application id `coordinator` took whatever its topic prefix until 2026-12-06. */
  static final String FORMER_DEFAULT = "groundcontrol-coordinator";

  private static final String COMMANDS_SUFFIX =
      TopicNames.DEFAULT.missionCommands().substring(TopicNames.DEFAULT.prefix().length());

  private ApplicationIdCheck() {}

  /**
   * The topics of a consumer group.
   *
   * @param committed the topics it has committed offsets on
   * @param held the topics its members hold now
   */
  record GroupTopics(Set<String> committed, Set<String> held) {
    static final GroupTopics NONE = new GroupTopics(Set.of(), Set.of());

    /** The installations in the group: in its committed offsets, or in what its members hold now. */
    Set<String> installations() {
      Set<String> topics = new HashSet<>(committed);
      topics.addAll(held);
      return ApplicationIdCheck.installations(topics);
    }

    /** The installations whose topics the group's members hold now. */
    Set<String> running() {
      return ApplicationIdCheck.installations(held);
    }
  }

  /**
   * What the check says about starting the coordinator of {@code topics} under {@code applicationId}.
   *
   * @param refusal why it must not start, if it must not
   * @param warnings what to say before it starts
   */
  record Verdict(Optional<String> refusal, List<String> warnings) {}

  /**
   * The check of the coordinator of {@code topics} against the groups on the cluster behind
   * {@code admin}, which {@code bootstrapServers} names in the command lines it gives.
   *
   * @param defaulted whether the id is the default, not given with {@code --application-id}
   * @throws IllegalStateException if Kafka could not tell (the caller warns and starts)
   */
  static Verdict check(Admin admin, TopicNames topics, String applicationId, boolean defaulted,
      String bootstrapServers) {
    GroupTopics formerDefault = defaulted || applicationId.equals(FORMER_DEFAULT)
        ? topicsOf(admin, FORMER_DEFAULT)
        : GroupTopics.NONE;
    GroupTopics group = applicationId.equals(FORMER_DEFAULT) ? formerDefault : topicsOf(admin, applicationId);
    return new Verdict(decide(topics, applicationId, defaulted, formerDefault, group, bootstrapServers),
        leftovers(topics, applicationId, group, bootstrapServers));
  }

  /**
   * The refusal of {@link #check}, given what the group of the former default id and the group of
   * {@code applicationId} hold.
   */
  static Optional<String> decide(TopicNames topics, String applicationId, boolean defaulted,
      GroupTopics formerDefault, GroupTopics group, String bootstrapServers) {
    String prefix = topics.prefix();
    boolean ownsFormerDefault = ownsFormerDefault(topics);
    if (!ownsFormerDefault && (defaulted || applicationId.equals(FORMER_DEFAULT))
        && formerDefault.installations().contains(prefix)) {
      Set<String> sharers = others(formerDefault.installations(), prefix);
      if (!sharers.isEmpty()) {
        return Optional.of("This installation (--topic-prefix " + prefix + ") ran under application id "
            + FORMER_DEFAULT + ", the default of every installation before 2026-12-06, together with the one with "
            + "--topic-prefix " + String.join(", ", sharers) + ", so its missions, queues and schedules there were "
            + "never consistent: remove its offsets from that group (" + deleteOffsets(bootstrapServers, prefix,
                formerDefault) + ") and start it under its own id " + CoordinatorConfig.defaultApplicationId(
                    topics) + " (no --application-id), where it starts afresh, reading its topics from their start");
      }
      if (defaulted) {
        return Optional.of("This installation (--topic-prefix " + prefix + ") ran under application id "
            + FORMER_DEFAULT + ", the default before 2026-12-06, and its missions, queues and schedules are stored "
            + "under that id; the default is now " + applicationId + ": pass --application-id " + FORMER_DEFAULT
            + " to keep them");
      }
    }
    if (ownsFormerDefault && applicationId.equals(FORMER_DEFAULT)) {
      // Its own default: another installation's offsets there are leftovers (see leftovers), a running one is not.
      Set<String> running = others(group.running(), prefix);
      return running.isEmpty() ? Optional.empty() : Optional.of("Application id " + FORMER_DEFAULT + ", this "
          + "installation's default, is in use by the coordinator of the one with --topic-prefix " + String.join(", ",
              running) + ", which still runs under the default of before 2026-12-06: two installations under one "
          + "application id stall each other and share their stores; stop that coordinator first (upgraded, it "
          + "moves to its own id)");
    }
    Set<String> others = others(group.installations(), prefix);
    if (others.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of("Application id " + applicationId + " is taken by the installation with --topic-prefix "
        + String.join(", ", others) + " (its group consumes " + new TopicNames(others.iterator().next()).missionCommands()
        + "): two installations under one application id stall each other and share their stores; give this one "
        + (defaulted ? "another --application-id" : "an --application-id of its own (by default "
            + CoordinatorConfig.defaultApplicationId(topics) + ")"));
  }

  /**
   * The warnings of {@link #check}: the offsets that installations which moved to their own ids
   * left in the group of the former default, which is this installation's own.
   */
  static List<String> leftovers(TopicNames topics, String applicationId, GroupTopics group, String bootstrapServers) {
    List<String> warnings = new ArrayList<>();
    if (!ownsFormerDefault(topics) || !applicationId.equals(FORMER_DEFAULT)) {
      return warnings;
    }
    for (String other : others(group.installations(), topics.prefix())) {
      if (!group.running().contains(other)) {
        warnings.add("Group " + FORMER_DEFAULT + " holds offsets of the installation with --topic-prefix " + other
            + ", left from before 2026-12-06 when every installation defaulted to this id; this one ignores them, and "
            + "that one, started under its own id, says to remove them: " + deleteOffsets(bootstrapServers, other,
                group));
      }
    }
    return warnings;
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

  /**
   * The command that removes the offsets of installation {@code prefix} from the former default's
   * {@code group}: on the topics its prefix names, not those of another installation whose prefix
   * begins with it, nor trigger topics, which the others may read too.
   */
  private static String deleteOffsets(String bootstrapServers, String prefix, GroupTopics group) {
    Set<String> longer = group.installations().stream().filter(other -> other.length() > prefix.length())
        .collect(Collectors.toSet());
    String topics = group.committed().stream()
        .filter(topic -> topic.startsWith(prefix + ".")
            && longer.stream().noneMatch(other -> topic.startsWith(other + ".")))
        .sorted()
        .map(topic -> " --topic " + topic)
        .collect(Collectors.joining());
    return "kafka-consumer-groups --bootstrap-server " + bootstrapServers + " --delete-offsets --group "
        + FORMER_DEFAULT + topics;
  }

  /** The installation whose default id is the former default of every installation. */
  private static boolean ownsFormerDefault(TopicNames topics) {
    return CoordinatorConfig.defaultApplicationId(topics).equals(FORMER_DEFAULT);
  }

  private static Set<String> others(Set<String> installations, String prefix) {
    Set<String> others = new TreeSet<>(installations);
    others.remove(prefix);
    return others;
  }

  /** The topics of {@code group}: its committed offsets, and what its members hold now. */
  private static GroupTopics topicsOf(Admin admin, String group) {
    Set<String> committed = new HashSet<>();
    Set<String> held = new HashSet<>();
    try {
      admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
          .keySet().forEach(partition -> committed.add(partition.topic()));
      ConsumerGroupDescription description =
          admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get(30, TimeUnit.SECONDS);
      description.members().forEach(member ->
          member.assignment().topicPartitions().forEach(partition -> held.add(partition.topic())));
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
    return new GroupTopics(committed, held);
  }
}
