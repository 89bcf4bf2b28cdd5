package io.groundcontrol.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.coordinator.CoordinatorConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.junit.jupiter.api.Test;

class KafkaConnectionTest {
  private static final Map<String, String> SCRAM = Map.of(
      "security.protocol", "SASL_SSL",
      "sasl.mechanism", "SCRAM-SHA-512",
      "sasl.jaas.config",
      "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"alice\" password=\"s3cret\";",
      "ssl.truststore.password", "trust-s3cret");
  private final KafkaConnection alice = new KafkaConnection("kafka:9093", SCRAM);

  @Test
  void theSaslUserIsThePrincipal() {
    assertThat(alice.principal()).isEqualTo("User:alice");
    assertThat(alice.securityProtocol()).isEqualTo("SASL_SSL");
    assertThat(KafkaConnection.plaintext("localhost:9092").principal()).isEqualTo("User:ANONYMOUS");
    assertThat(new KafkaConnection("k:1", Map.of("security.protocol", "SSL", "ssl.keystore.location", "/k.p12"))
        .principal()).isEqualTo("the client certificate in /k.p12");
  }

  @Test
  void printingAConnectionOrACoordinatorConfigShowsNoSecret() {
    CoordinatorConfig config = CoordinatorConfig.defaults("kafka:9093", Path.of("state")).withConnection(alice);

    assertThat(alice.toString()).isEqualTo("kafka:9093 (SASL_SSL, User:alice)");
    assertThat(config.toString()).doesNotContain("s3cret").contains("User:alice");
  }

  @Test
  void everyClientOfTheCoordinatorGetsTheSettingsButItsOwnTuningWins() {
    CoordinatorConfig config = CoordinatorConfig.defaults("kafka:9093", Path.of("state"))
        .withConnection(new KafkaConnection("kafka:9093", Map.of("security.protocol", "SSL", "poll.ms", "500")));

    Properties streams = config.streamsProperties();

    assertThat(streams).containsEntry("security.protocol", "SSL").containsEntry("bootstrap.servers", "kafka:9093");
    assertThat(streams.get("poll.ms")).isEqualTo(5L);
    assertThat(config.connection().clientConfig()).containsEntry("security.protocol", "SSL")
        .containsEntry("bootstrap.servers", "kafka:9093");
  }

  @Test
  void refusalsBecomeOneLineNamingWhoAndWhat() {
    assertThat(KafkaAccessErrors.describe(new RuntimeException("send failed",
        new TopicAuthorizationException(java.util.Set.of("gc.mission-commands"))), alice))
        .contains("Kafka at kafka:9093 refused User:alice access to topic gc.mission-commands; grant its role's ACLs "
            + "(see `groundcontrol acl print`)");
    assertThat(KafkaAccessErrors.describe(new GroupAuthorizationException("no", "ml"), alice))
        .hasValueSatisfying(line -> assertThat(line).contains("User:alice access to consumer group ml"));
    assertThat(KafkaAccessErrors.describe(new TransactionalIdAuthorizationException("Transactional Id authorization "
        + "failed."), alice)).hasValueSatisfying(line -> assertThat(line).contains("a transactional id"));
    assertThat(KafkaAccessErrors.describe(new SaslAuthenticationException("Authentication failed during "
        + "authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512"), alice))
        .hasValueSatisfying(line -> assertThat(line)
            .startsWith("Kafka at kafka:9093 refused to authenticate User:alice over SASL_SSL: Authentication failed")
            .doesNotContain("\n"));
    assertThat(KafkaAccessErrors.describe(new IllegalStateException("other"), alice)).isEmpty();
  }
}
