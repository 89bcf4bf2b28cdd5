package io.groundcontrol.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

/** Which stream-thread failures are a trigger topic's revoked READ, which must not stop the coordinator. */
class TriggerReadRefusalTest {
  private static final Set<String> TRIGGER_TOPICS = Set.of("exports", "orders");

  @Test
  void aRefusalOfTriggerTopicsAloneIsOne() {
    StreamsException failure = new StreamsException(new TopicAuthorizationException(Set.of("exports")));
    assertThat(TriggerReadRefusal.topics(failure, TRIGGER_TOPICS)).contains(Set.of("exports"));
  }

  @Test
  void aRefusalOfAnyOfGroundcontrolsOwnTopicsIsNot() {
    StreamsException failure = new StreamsException(
        new TopicAuthorizationException(Set.of("exports", "groundcontrol.mission-commands")));
    assertThat(TriggerReadRefusal.topics(failure, TRIGGER_TOPICS)).isEmpty();
    assertThat(TriggerReadRefusal.topics(new TopicAuthorizationException(Set.of("exports")), Set.of())).isEmpty();
  }

  @Test
  void aRefusalThatNamesNoTopicOrNoTopicAtAllIsNot() {
    assertThat(TriggerReadRefusal.topics(new TopicAuthorizationException("refused"), TRIGGER_TOPICS)).isEmpty();
    assertThat(TriggerReadRefusal.topics(new GroupAuthorizationException("refused"), TRIGGER_TOPICS)).isEmpty();
  }
}
