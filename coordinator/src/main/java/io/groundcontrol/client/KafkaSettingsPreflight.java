package io.groundcontrol.client;

import io.groundcontrol.plan.ClosestMatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.InvalidPathException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.JaasContext;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * What a Kafka client would find wrong only when it is made, checked when the settings are read:
 * a key or trust store file that is not there, a {@code sasl.jaas.config} Kafka cannot parse, and
 * a login module class that does not exist. Only what the security protocol uses is checked.
 */
final class KafkaSettingsPreflight {
  private static final List<String> STORES =
      List.of(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG);
  private static final List<String> KAFKA_LOGIN_MODULES = List.of(
      "org.apache.kafka.common.security.plain.PlainLoginModule",
      "org.apache.kafka.common.security.scram.ScramLoginModule",
      "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule",
      "com.sun.security.auth.module.Krb5LoginModule");

  private KafkaSettingsPreflight() {}

  /**
   * @throws KafkaSettingsException naming {@code source} and the key, never a secret
   */
  static void check(Map<String, String> settings, String source) {
    String protocol = settings.getOrDefault(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT")
        .toUpperCase(Locale.ROOT);
    if (protocol.endsWith("SSL")) {
      STORES.stream().filter(settings::containsKey).forEach(key -> storeFile(key, settings.get(key), source));
    }
    String jaas = settings.get(SaslConfigs.SASL_JAAS_CONFIG);
    if (protocol.startsWith("SASL") && jaas != null) {
      loginModules(jaas, settings, source).forEach(entry -> loginModule(entry.getLoginModuleName(), source));
    }
  }

  private static void storeFile(String key, String location, String source) {
    Path file;
    try {
      file = Path.of(location);
    } catch (InvalidPathException e) {
      throw new KafkaSettingsException("Expected a file name as '" + key + "' in " + source + ", but " + e.getReason());
    }
    if (!Files.isRegularFile(file)) {
      throw new KafkaSettingsException("Expected the file '" + key + "' in " + source + " names, " + location
          + ", but there is none");
    }
    if (!Files.isReadable(file)) {
      throw new KafkaSettingsException("Expected the file '" + key + "' in " + source + " names, " + location
          + ", to be readable by this user, but it is not");
    }
  }

  /** The entries of {@code jaas}, parsed as a Kafka client parses them. */
  private static List<AppConfigurationEntry> loginModules(String jaas, Map<String, String> settings, String source) {
    try {
      return JaasContext.loadClientContext(Map.of(SaslConfigs.SASL_JAAS_CONFIG, new Password(jaas)))
          .configurationEntries();
    } catch (IllegalArgumentException | KafkaException e) {
      throw new KafkaSettingsException("Expected a JAAS entry as 'sasl.jaas.config' in " + source + " (a login module, "
          + "'required', its options, then ';'), but Kafka could not use it: "
          + KafkaSecrets.redact(e.getMessage(), settings));
    }
  }

  private static void loginModule(String name, String source) {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    try {
      Class.forName(name, false, loader == null ? KafkaSettingsPreflight.class.getClassLoader() : loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new KafkaSettingsException("Expected a login module class in 'sasl.jaas.config' in " + source
          + ", but there is no class " + name + ClosestMatch.to(name, KAFKA_LOGIN_MODULES)
              .map(close -> "; did you mean " + close + "?").orElse(""));
    }
  }
}
