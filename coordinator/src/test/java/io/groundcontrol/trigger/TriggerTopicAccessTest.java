package io.groundcontrol.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.groundcontrol.schema.Trigger;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.DisconnectException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;

/**
 * A trigger topic the cluster refuses the coordinator is left out and reported once, naming the
 * trigger and the topic (the watcher's checks against a secured broker are not run here).
 */
class TriggerTopicAccessTest {
  private final TriggerTopicRefusals refusals = new TriggerTopicRefusals("User:gc");

  @Test
  void aTopicIsReadableOnlyIfTheClusterGrantsRead() {
    assertThat(TopicAccess.of(described(Set.of(AclOperation.READ, AclOperation.DESCRIBE)))).isEqualTo(TopicAccess.READABLE);
    assertThat(TopicAccess.of(described(Set.of(AclOperation.ALL)))).isEqualTo(TopicAccess.READABLE);
    assertThat(TopicAccess.of(described(null))).as("a broker that does not say").isEqualTo(TopicAccess.READABLE);
    assertThat(TopicAccess.of(described(Set.of(AclOperation.DESCRIBE)))).isEqualTo(TopicAccess.NOT_READABLE);
  }

  @Test
  void aRefusedDescribeIsToldApartFromATopicNotCreatedYet() {
    assertThat(TopicAccess.ofFailure("exports", new TopicAuthorizationException(Set.of("exports"))))
        .isEqualTo(TopicAccess.NOT_DESCRIBABLE);
    assertThat(TopicAccess.ofFailure("exports", new UnknownTopicOrPartitionException("no such topic")))
        .isEqualTo(TopicAccess.ABSENT);
    assertThatThrownBy(() -> TopicAccess.ofFailure("exports", new DisconnectException("gone")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("exports");
  }

  @Test
  void eachRefusedTriggerIsReportedOnceNamingItsTopic() {
    Map<String, String> triggers = Map.of("rescore", "exports", "archive", "exports", "audit", "orders");
    Map<String, TopicAccess> access = Map.of("exports", TopicAccess.NOT_READABLE, "orders", TopicAccess.READABLE);

    List<String> first = refusals.newlyRefused(triggers, access);
    assertThat(first).hasSize(2).allSatisfy(line -> assertThat(line)
        .contains("topic 'exports'").contains("User:gc").contains("not read it").contains("grant READ"));
    assertThat(String.join("\n", first)).contains("Trigger 'rescore'").contains("Trigger 'archive'");
    assertThat(refusals.newlyRefused(triggers, access)).as("the next check, still refused").isEmpty();
  }

  @Test
  void aRefusalIsReportedAgainAfterAGrantIsRevokedOrWhenItChanges() {
    Map<String, String> triggers = Map.of("rescore", "exports");
    assertThat(refusals.newlyRefused(triggers, Map.of("exports", TopicAccess.NOT_DESCRIBABLE)))
        .singleElement().asString().contains("Trigger 'rescore'").contains("no DESCRIBE or READ");
    assertThat(refusals.newlyRefused(triggers, Map.of("exports", TopicAccess.NOT_READABLE)))
        .singleElement().asString().contains("not read it");
    assertThat(refusals.newlyRefused(triggers, Map.of("exports", TopicAccess.READABLE))).isEmpty();
    assertThat(refusals.newlyRefused(triggers, Map.of("exports", TopicAccess.NOT_READABLE))).hasSize(1);
  }

  @Test
  void aTopicThatDoesNotExistYetIsNoRefusal() {
    assertThat(refusals.newlyRefused(Map.of("rescore", "exports"), Map.of("exports", TopicAccess.ABSENT))).isEmpty();
  }

  @Test
  void eachTriggerIsListedAsReadWaitingOrInertWithTheReasonTheCoordinatorLogs() {
    List<Trigger> triggers = List.of(trigger("rescore", "exports"), trigger("audit", "orders"),
        trigger("later", "not-yet"), trigger("loop", "gc.mission-events"), trigger("secret", "hidden"));
    Map<String, TopicAccess> access = Map.of("exports", TopicAccess.NOT_READABLE, "orders", TopicAccess.READABLE,
        "not-yet", TopicAccess.ABSENT, "hidden", TopicAccess.NOT_DESCRIBABLE);

    List<TriggerStatus> statuses = TriggerStatus.of(triggers, access, "gc.", refusals);

    assertThat(statuses).extracting(TriggerStatus::name, TriggerStatus::state).containsExactly(
        tuple("audit", TriggerStatus.State.ACTIVE), tuple("later", TriggerStatus.State.WAITING),
        tuple("loop", TriggerStatus.State.INERT), tuple("rescore", TriggerStatus.State.INERT),
        tuple("secret", TriggerStatus.State.INERT));
    assertThat(statuses.get(0).reason()).isNull();
    assertThat(statuses.get(1).line()).isEqualTo("Trigger 'later' waits: its topic 'not-yet' does not exist yet; the "
        + "coordinator reads it within 5 s of its creation");
    assertThat(statuses.get(2).line()).contains("its topic 'gc.mission-events' is one of Groundcontrol's own");
    List<String> logged = refusals.newlyRefused(Map.of("rescore", "exports", "secret", "hidden"), access);
    assertThat(List.of(statuses.get(3).line(), statuses.get(4).line())).as("as logged")
        .containsExactlyInAnyOrderElementsOf(logged);
    assertThat(statuses.get(3).reason()).contains("User:gc").contains("topic 'exports'").contains("grant READ");
  }

  private static Trigger trigger(String name, String topic) {
    return Trigger.newBuilder().setName(name).setTopic(topic).setPlan("score").setWhen(List.of()).setKey("${event.id}")
        .build();
  }

  private static TopicDescription described(Set<AclOperation> operations) {
    return new TopicDescription("exports", false, List.of(), operations);
  }
}
