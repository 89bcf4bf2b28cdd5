package io.groundcontrol.trigger;

import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passes each change of the trigger topics on. A change counts as made only once {@code onChange}
 * returned. After one that threw (a restart of the streams that failed, which may have stopped the
 * old streams already) the set now is passed on at every check until one returns, even if it is
 * the set passed on last: the streams then run none, and must not be left so.
 */
final class TopicSetChanges {
  private static final Logger LOG = LoggerFactory.getLogger(TopicSetChanges.class);

  private final Consumer<Set<String>> onChange;
  private Set<String> made;
  /** The last call of {@code onChange} threw: the streams may not be running {@link #made}. */
  private boolean failed;

  TopicSetChanges(Set<String> current, Consumer<Set<String>> onChange) {
    this.made = current;
    this.onChange = onChange;
  }

  /**
   * Passes {@code now} on if it differs from the last set passed on, or the last pass threw;
   * throws what {@code onChange} throws.
   */
  void check(Set<String> now) {
    if (failed || !now.equals(made)) {
      LOG.info(failed ? "Trying again to act on trigger topics {} (were {})" : "Trigger topics changed to {} from {}",
          now, made);
      failed = true;
      onChange.accept(now);
      made = now;
      failed = false;
    }
  }
}
