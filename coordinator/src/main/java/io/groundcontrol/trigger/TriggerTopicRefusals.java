package io.groundcontrol.trigger;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The triggers whose topic the cluster refuses the coordinator, each reported once while the
 * refusal lasts: the watcher checks every few seconds and must not repeat itself each time.
 */
final class TriggerTopicRefusals {
  private final String principal;
  private Set<String> reported = Set.of();

  /** @param principal who the coordinator is to the cluster, for the message */
  TriggerTopicRefusals(String principal) {
    this.principal = principal;
  }

  /**
   * One line for each trigger whose topic is refused now and was not at the last call (or was
   * refused differently): what to log.
   *
   * @param topicOfTrigger each applied trigger's topic, by trigger name
   * @param access what the cluster allows on each of those topics
   */
  synchronized List<String> newlyRefused(Map<String, String> topicOfTrigger, Map<String, TopicAccess> access) {
    Set<String> now = new LinkedHashSet<>();
    List<String> lines = new ArrayList<>();
    topicOfTrigger.forEach((trigger, topic) -> {
      TopicAccess topicAccess = access.get(topic);
      if (topicAccess == null || !topicAccess.refused()) {
        return;
      }
      String refusal = trigger + '\u0000' + topic + '\u0000' + topicAccess;
      now.add(refusal);
      if (!reported.contains(refusal)) {
        lines.add(line(trigger, topic, topicAccess));
      }
    });
    reported = now;
    return lines;
  }

  private String line(String trigger, String topic, TopicAccess access) {
    return "Trigger '" + trigger + "' stays inert: " + reason(topic, access);
  }

  /** Why a trigger on {@code topic} stays inert, and what to grant: logged once, and listed with the triggers. */
  String reason(String topic, TopicAccess access) {
    String refusal = access == TopicAccess.NOT_READABLE
        ? "the cluster lets the coordinator (" + principal + ") describe its topic '" + topic + "' but not read it"
        : "the cluster refuses the coordinator (" + principal + ") its topic '" + topic
            + "' (no DESCRIBE or READ ACL; whether the topic exists is not said)";
    return refusal + "; grant READ on topic '" + topic + "' to that principal, and the coordinator starts reading it within "
        + TriggerTopicWatcher.INTERVAL.toSeconds() + " s";
  }
}
