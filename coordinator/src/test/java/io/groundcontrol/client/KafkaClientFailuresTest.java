package io.groundcontrol.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Kafka client that cannot be made from the settings is one line naming where they came from and the key. */
class KafkaClientFailuresTest {
  @TempDir Path dir;

  @Test
  void aStoreKafkaCannotLoadNamesTheFileAndKeyButNotThePassword() throws IOException {
    Path truststore = Files.writeString(dir.resolve("truststore.p12"), "not a PKCS12 store");
    KafkaConnection connection = new KafkaConnection("127.0.0.1:1", Map.of("security.protocol", "SSL",
        "ssl.truststore.location", truststore.toString(), "ssl.truststore.password", "s3cret-pw"));

    Throwable error = catchThrowable(() -> {
      try (Admin admin = connection.admin()) {
        admin.listTopics();
      }
    });

    assertThat(KafkaClientFailures.describe(error, connection, "/etc/gc/client.properties")).hasValueSatisfying(line ->
        assertThat(line)
            .startsWith("Could not make a Kafka client from the settings in /etc/gc/client.properties "
                + "('ssl.truststore.location'): ")
            .contains(truststore.toString()).doesNotContain("s3cret-pw").doesNotContain("\n")
            .endsWith("; correct them (README \"Security\")"));
  }

  @Test
  void aFailureThatIsNoClientConstructionIsLeftToTheCaller() {
    KafkaConnection connection = KafkaConnection.plaintext("127.0.0.1:1");

    assertThat(KafkaClientFailures.describe(new IllegalStateException("x"), connection, "f")).isEmpty();
  }

  @Test
  void secretsAreHiddenAsWholeWordsOnly() {
    Map<String, String> settings = Map.of("ssl.key.password", "ab", "sasl.jaas.config",
        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"alice\" password=\"pa ss\";");

    assertThat(KafkaSecrets.redact("about ab, pa ss for alice in PlainLoginModule required", settings))
        .isEqualTo("about [hidden], [hidden] for [hidden] in PlainLoginModule required");
  }
}
