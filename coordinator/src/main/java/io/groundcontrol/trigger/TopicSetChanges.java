package io.groundcontrol.trigger;

import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passes each change of the trigger topics on. A change counts as made only once {@code onChange}
 * returned: one that threw (a restart of the streams that failed) is passed on again at the next
 * check, instead of leaving the instance without the topology it needs.
 */
final class TopicSetChanges {
  private static final Logger LOG = LoggerFactory.getLogger(TopicSetChanges.class);

  private final Consumer<Set<String>> onChange;
  private Set<String> made;

  TopicSetChanges(Set<String> current, Consumer<Set<String>> onChange) {
    this.made = current;
    this.onChange = onChange;
  }

  /** Passes {@code now} on if it differs from the last set passed on; throws what {@code onChange} throws. */
  void check(Set<String> now) {
    if (!now.equals(made)) {
      LOG.info("Trigger topics changed from {} to {}", made, now);
      onChange.accept(now);
      made = now;
    }
  }
}
