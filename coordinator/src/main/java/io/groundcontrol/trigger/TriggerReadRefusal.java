package io.groundcontrol.trigger;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.errors.TopicAuthorizationException;

/**
 * A stream thread's failure because the cluster refused the coordinator trigger topics alone:
 * their READ was revoked after the watcher last checked. Unlike a refusal of Groundcontrol's own
 * topics, it must not stop the coordinator: the watcher rebuilds the topology without them
 * within {@link TriggerTopicWatcher#INTERVAL}, and the triggers stay inert until READ is granted.
 */
public final class TriggerReadRefusal {
  private TriggerReadRefusal() {}

  /** The refused topics, if {@code error} (or a cause) refuses some of {@code triggerTopics} and nothing else. */
  public static Optional<Set<String>> topics(Throwable error, Set<String> triggerTopics) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof TopicAuthorizationException refusal) {
        Set<String> refused = new TreeSet<>(refusal.unauthorizedTopics());
        return !refused.isEmpty() && triggerTopics.containsAll(refused) ? Optional.of(refused) : Optional.empty();
      }
    }
    return Optional.empty();
  }
}
