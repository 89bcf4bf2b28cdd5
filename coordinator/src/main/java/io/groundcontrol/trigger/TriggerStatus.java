package io.groundcontrol.trigger;

import io.groundcontrol.schema.Trigger;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * One applied trigger as a coordinator instance last checked it ({@link TriggerTopicWatcher},
 * every {@link TriggerTopicWatcher#INTERVAL}): whether it reads its topic, waits for it, or stays
 * inert, and why.
 *
 * @param priority the priority of every mission it starts, as {@code mission start --priority}
 * @param state whether the coordinator reads the trigger's topic
 * @param reason why it waits or stays inert, naming the topic (and, if refused, the coordinator's
 *     principal and what to grant); null while it is active
 */
public record TriggerStatus(String name, String topic, String plan, int priority, State state, String reason) {
  /** Whether the coordinator reads a trigger's topic. */
  public enum State {
    /** It reads the topic (or will, once its streams restart for it). */
    ACTIVE,
    /** The topic does not exist yet: it is read once created. */
    WAITING,
    /** The coordinator may not read the topic, or the topic is one of Groundcontrol's own: no event starts a mission. */
    INERT
  }

  /**
   * The status of each trigger, sorted by name.
   *
   * @param access what the cluster allows the coordinator on each trigger topic not its own
   * @param ownPrefix Groundcontrol's topic prefix and its dot: triggers on such topics are never read
   */
  static List<TriggerStatus> of(Collection<Trigger> triggers, Map<String, TopicAccess> access, String ownPrefix,
      TriggerTopicRefusals refusals) {
    return triggers.stream().sorted(Comparator.comparing(Trigger::getName)).map(trigger -> {
      String topic = trigger.getTopic();
      if (topic.startsWith(ownPrefix)) {
        return of(trigger, State.INERT, "its topic '" + topic
            + "' is one of Groundcontrol's own, which no trigger reads; name another topic in the schedules file");
      }
      TopicAccess allowed = access.getOrDefault(topic, TopicAccess.ABSENT);
      if (allowed.refused()) {
        return of(trigger, State.INERT, refusals.reason(topic, allowed));
      }
      return allowed == TopicAccess.READABLE
          ? of(trigger, State.ACTIVE, null)
          : of(trigger, State.WAITING, "its topic '" + topic + "' does not exist yet; the coordinator reads it within "
              + TriggerTopicWatcher.INTERVAL.toSeconds() + " s of its creation");
    }).toList();
  }

  private static TriggerStatus of(Trigger trigger, State state, String reason) {
    return new TriggerStatus(trigger.getName(), trigger.getTopic(), trigger.getPlan(), trigger.getPriority(), state, reason);
  }

  /** What the coordinator logs, and {@code schedule list} prints, of a trigger that waits or stays inert. */
  public String line() {
    return "Trigger '" + name + "' " + (state == State.WAITING ? "waits: " : "stays inert: ") + reason;
  }
}
