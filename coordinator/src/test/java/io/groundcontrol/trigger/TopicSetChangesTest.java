package io.groundcontrol.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** When the trigger-topic watcher passes a change of the topics on to the coordinator. */
class TopicSetChangesTest {
  private final List<Set<String>> passedOn = new ArrayList<>();

  @Test
  void aChangeWhoseRestartFailedIsPassedOnAgainAtTheNextCheck() {
    boolean[] failOnce = {true};
    TopicSetChanges changes = new TopicSetChanges(Set.of("orders"), topics -> {
      passedOn.add(topics);
      if (failOnce[0]) {
        failOnce[0] = false;
        throw new IllegalStateException("the previous streams did not stop within 30 s");
      }
    });

    assertThatThrownBy(() -> changes.check(Set.of("orders", "exports"))).hasMessageContaining("did not stop");
    changes.check(Set.of("orders", "exports"));
    changes.check(Set.of("orders", "exports"));

    // Tried again once, and once it was made, not again.
    assertThat(passedOn).containsExactly(Set.of("orders", "exports"), Set.of("orders", "exports"));
  }

  @Test
  void afterAFailedChangeTheTopicsOfBeforeArePassedOnAgainWhenTheyComeBack() {
    boolean[] failOnce = {true};
    TopicSetChanges changes = new TopicSetChanges(Set.of(), topics -> {
      passedOn.add(topics);
      if (failOnce[0]) {
        failOnce[0] = false;
        throw new IllegalStateException("the previous streams did not stop within 30 s");
      }
    });

    assertThatThrownBy(() -> changes.check(Set.of("orders"))).hasMessageContaining("did not stop");
    // The trigger was removed again before the next check: the old streams may have stopped all the same.
    changes.check(Set.of());
    changes.check(Set.of());

    assertThat(passedOn).containsExactly(Set.of("orders"), Set.of());
  }

  @Test
  void theSameTopicsAreNotPassedOn() {
    TopicSetChanges changes = new TopicSetChanges(Set.of("orders"), passedOn::add);

    changes.check(Set.of("orders"));
    changes.check(Set.of());

    assertThat(passedOn).containsExactly(Set.of());
  }
}
