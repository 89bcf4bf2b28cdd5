package io.groundcontrol.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groundcontrol.apikey.ApiKeySecrets;
import io.groundcontrol.apikey.Role;
import io.groundcontrol.schema.wire.TopicNames;
import io.groundcontrol.testing.KafkaBrokerExtension;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two creates racing with one name both find it unused; the key written first keeps it, and the
 * other create withdraws its key and fails as if it had found the name taken.
 */
class ApiKeyRaceIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @Test
  void aCreateOvertakenByAnotherOfTheSameNameFailsAndLeavesNoKeyOfItsOwn() {
    TopicNames topics = new TopicNames(KAFKA.uniquePrefix("keyrace"));
    KAFKA.createTopic(topics.apiKeys(), 1);
    KafkaConnection kafka = KafkaConnection.plaintext(KAFKA.bootstrapServers());
    AtomicReference<String> overtaking = new AtomicReference<>();
    try (ApiKeyRegistry other = new ApiKeyRegistry(kafka, topics, Clock.systemUTC());
        ApiKeyRegistry overtaken = new ApiKeyRegistry(
            kafka, topics, Clock.systemUTC(), () -> overtaking.set(other.create("ci", Role.ADMIN)))) {

      assertThatThrownBy(() -> overtaken.create(" CI", Role.VIEWER))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Expected a key name no key has had, but key " + idOf(overtaking.get())
              + " is named 'ci'; the audit log names a key's actions by its name, so choose another");

      assertThat(other.readAll().values()).singleElement().satisfies(key -> {
        assertThat(key.getId()).isEqualTo(idOf(overtaking.get()));
        assertThat(key.getRevokedAt()).isNull();
      });
    }
  }

  private static String idOf(String key) {
    return ApiKeySecrets.idOf(key).orElseThrow();
  }
}
