package io.groundcontrol.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientSettingsTest {
  private static final String JAAS =
      "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"alice\" password=\"s3cret\";";

  @TempDir Path dir;
  private final List<String> warnings = new ArrayList<>();

  private Path file(String... lines) throws IOException {
    Path file = dir.resolve("client.properties");
    Files.write(file, List.of(lines));
    return file;
  }

  @Test
  void aClientFileGivesTheAddressAndEverySettingChecked() throws IOException {
    Path file = file("bootstrap.servers=kafka:9093", "security.protocol=SASL_SSL", "sasl.mechanism=SCRAM-SHA-512",
        "sasl.jaas.config=" + JAAS.replace("\"", "\\\""), "ssl.truststore.location=/etc/truststore.p12");

    KafkaClientSettings settings = KafkaClientSettings.read(file, Map.of(), warnings::add);

    assertThat(settings.bootstrapServers()).contains("kafka:9093");
    assertThat(settings.settings()).containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.jaas.config", JAAS).doesNotContainKey("bootstrap.servers");
    assertThat(settings.connection(null).bootstrapServers()).isEqualTo("kafka:9093");
    assertThat(settings.connection("other:9093").bootstrapServers()).isEqualTo("other:9093");
    assertThat(warnings).isEmpty();
  }

  @Test
  void singleSettingsGoOverTheFile() throws IOException {
    Path file = file("security.protocol=SASL_SSL", "request.timeout.ms=30000");

    KafkaClientSettings settings = KafkaClientSettings.read(file, Map.of("request.timeout.ms", "5000"), warnings::add);

    assertThat(settings.settings()).containsEntry("request.timeout.ms", "5000");
  }

  @Test
  void aMisspeltKeyIsRefusedWithTheKeyItResembles() throws IOException {
    Path file = file("sasl.mechansim=SCRAM-SHA-512");

    assertThatThrownBy(() -> KafkaClientSettings.read(file, Map.of(), warnings::add))
        .isInstanceOf(KafkaSettingsException.class)
        .hasMessage("Expected Kafka client settings in " + file + ", but 'sasl.mechansim' is not one; did you mean "
            + "'sasl.mechanism'?");
  }

  @Test
  void aValueOfTheWrongKindIsRefusedNamingTheKey() throws IOException {
    Path file = file("security.protocol=SASL_TLS");

    assertThatThrownBy(() -> KafkaClientSettings.read(file, Map.of(), warnings::add))
        .isInstanceOf(KafkaSettingsException.class)
        .hasMessageStartingWith("Expected a valid value of 'security.protocol' in " + file + ", but ");
  }

  @Test
  void keysNoKafkaClientKnowsAreLeftOutWithAWarningThatShowsNoValue() throws IOException {
    Path file = file("schema.registry.url=https://registry", "basic.auth.user.info=key:password",
        "security.protocol=SSL");

    KafkaClientSettings settings = KafkaClientSettings.read(file, Map.of(), warnings::add);

    assertThat(settings.settings()).containsOnlyKeys("security.protocol");
    assertThat(warnings).singleElement().asString()
        .contains("basic.auth.user.info, schema.registry.url").doesNotContain("password").doesNotContain("https");
  }

  @Test
  void aMissingFileOrAddressIsSaidPlainly() throws IOException {
    assertThatThrownBy(() -> KafkaClientSettings.read(dir.resolve("absent.properties"), Map.of(), warnings::add))
        .hasMessage("Expected a Kafka client properties file at " + dir.resolve("absent.properties")
            + ", but there is none");
    KafkaClientSettings noAddress = KafkaClientSettings.read(file("security.protocol=SSL"), Map.of(), warnings::add);
    assertThatThrownBy(() -> noAddress.connection(null)).hasMessageStartingWith("Expected Kafka bootstrap servers");
  }

  @Test
  void kafkaMasksEverySecretItLogs() {
    // Kafka logs client configs at start, showing values of PASSWORD type as [hidden]: the JAAS
    // config and every password must be of that type for the file's secrets to stay out of logs.
    java.util.Set<String> secretKeys = new java.util.TreeSet<>();
    for (org.apache.kafka.common.config.ConfigDef def : List.of(
        org.apache.kafka.clients.admin.AdminClientConfig.configDef(),
        org.apache.kafka.clients.producer.ProducerConfig.configDef(),
        org.apache.kafka.clients.consumer.ConsumerConfig.configDef())) {
      def.configKeys().values().stream()
          .filter(key -> key.name.contains("password") || key.name.equals("sasl.jaas.config"))
          .forEach(key -> {
            secretKeys.add(key.name);
            assertThat(key.type).as(key.name).isEqualTo(org.apache.kafka.common.config.ConfigDef.Type.PASSWORD);
          });
    }
    assertThat(secretKeys).contains("sasl.jaas.config", "ssl.keystore.password", "ssl.key.password",
        "ssl.truststore.password");
  }
}
