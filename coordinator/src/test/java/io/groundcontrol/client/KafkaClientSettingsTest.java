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
    Path truststore = Files.writeString(dir.resolve("truststore.p12"), "a store");
    Path file = file("bootstrap.servers=kafka:9093", "security.protocol=SASL_SSL", "sasl.mechanism=SCRAM-SHA-512",
        "sasl.jaas.config=" + JAAS.replace("\"", "\\\""), "ssl.truststore.location=" + truststore);

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
  void aStoreFileThatIsNotThereIsRefusedNamingTheKeyAndTheFile() throws IOException {
    Path missing = dir.resolve("missing.p12");
    Path file = file("security.protocol=SSL", "ssl.truststore.location=" + missing, "ssl.truststore.password=s3cret");

    assertThatThrownBy(() -> KafkaClientSettings.read(file, Map.of(), warnings::add))
        .isInstanceOf(KafkaSettingsException.class)
        .hasMessage("Expected the file 'ssl.truststore.location' in " + file + " names, " + missing
            + ", but there is none");
  }

  @Test
  void storeFilesAreNotCheckedWhenTheProtocolDoesNotUseThem() throws IOException {
    Path file = file("security.protocol=SASL_PLAINTEXT", "ssl.keystore.location=" + dir.resolve("missing.p12"));

    assertThat(KafkaClientSettings.read(file, Map.of(), warnings::add).settings())
        .containsKey("ssl.keystore.location");
  }

  @Test
  void aJaasEntryKafkaCannotParseIsRefusedNamingTheKeyWithoutThePassword() throws IOException {
    String unterminated = JAAS.substring(0, JAAS.length() - 1);
    Path file = file("security.protocol=SASL_SSL", "sasl.jaas.config=" + unterminated.replace("\"", "\\\""));

    assertThatThrownBy(() -> KafkaClientSettings.read(file, Map.of(), warnings::add))
        .isInstanceOf(KafkaSettingsException.class)
        .hasMessageStartingWith("Expected a JAAS entry as 'sasl.jaas.config' in " + file)
        .hasMessageEndingWith("but Kafka could not use it: JAAS config entry not terminated by semi-colon")
        .message().doesNotContain("s3cret");
  }

  @Test
  void aPasswordWhereKafkasParserQuotesANameStaysHidden() throws IOException {
    String noKey = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"alice\" \"s3cret\";";
    Path file = file("security.protocol=SASL_PLAINTEXT", "sasl.jaas.config=" + noKey.replace("\"", "\\\""));

    assertThatThrownBy(() -> KafkaClientSettings.read(file, Map.of(), warnings::add))
        .isInstanceOf(KafkaSettingsException.class)
        .hasMessageContaining("'sasl.jaas.config' in " + file)
        .message().doesNotContain("s3cret");
  }

  @Test
  void aMisspeltLoginModuleIsRefusedWithTheClassItResembles() throws IOException {
    Path file = file("security.protocol=SASL_SSL", "sasl.jaas.config="
        + JAAS.replace("ScramLoginModule", "ScramLogin").replace("\"", "\\\""));

    assertThatThrownBy(() -> KafkaClientSettings.read(file, Map.of(), warnings::add))
        .isInstanceOf(KafkaSettingsException.class)
        .hasMessage("Expected a login module class in 'sasl.jaas.config' in " + file + ", but there is no class "
            + "org.apache.kafka.common.security.scram.ScramLogin; did you mean "
            + "org.apache.kafka.common.security.scram.ScramLoginModule?");
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
