package io.groundcontrol.client;

import io.groundcontrol.plan.ClosestMatch;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Kafka client settings as the Kafka tools take them: a properties file ({@code --command-config},
 * {@code --kafka-config}) and single {@code KEY=VALUE} settings on top. They are checked when read:
 * a misspelt key, a value of the wrong kind, a key or trust store file that is not there, or a
 * {@code sasl.jaas.config} Kafka cannot use is refused with the key and the reason; secrets never
 * appear in a message, since files like these hold passwords.
 *
 * @param bootstrapServers {@code bootstrap.servers} if the file or a setting gave it
 * @param settings every other setting, checked
 */
public record KafkaClientSettings(Optional<String> bootstrapServers, Map<String, String> settings) {
  /** The environment variable naming the properties file when {@code --kafka-config} is not given. */
  public static final String ENVIRONMENT_VARIABLE = "GROUNDCONTROL_KAFKA_CONFIG";

  private static final List<ConfigDef> CLIENT_DEFS = List.of(
      AdminClientConfig.configDef(), ProducerConfig.configDef(), ConsumerConfig.configDef(), StreamsConfig.configDef());

  public KafkaClientSettings {
    settings = Map.copyOf(settings);
  }

  /** No file, no settings: a plaintext cluster. */
  public static KafkaClientSettings none() {
    return new KafkaClientSettings(Optional.empty(), Map.of());
  }

  /**
   * Reads {@code file} (if not null), then {@code extra} on top, and checks every key and value.
   *
   * @param warnings told about keys no Kafka client knows (plugin settings, or a Schema Registry's
   *     in a copied client file); they are left out
   * @throws KafkaSettingsException naming the file and key, if a setting cannot be used
   */
  public static KafkaClientSettings read(Path file, Map<String, String> extra, Consumer<String> warnings) {
    Map<String, String> raw = new LinkedHashMap<>();
    if (file != null) {
      raw.putAll(load(file));
    }
    raw.putAll(extra);
    String source = file == null ? "--kafka-property" : file.toString();
    Map<String, String> checked = new TreeMap<>();
    Set<String> unknown = new TreeSet<>();
    for (Map.Entry<String, String> setting : raw.entrySet()) {
      String key = setting.getKey().trim();
      String value = setting.getValue().trim();
      Optional<ConfigDef.ConfigKey> definition = definition(key);
      if (definition.isEmpty()) {
        Optional<String> close = ClosestMatch.to(key, knownKeys());
        if (close.isPresent()) {
          throw new KafkaSettingsException("Expected Kafka client settings in " + source + ", but '" + key
              + "' is not one; did you mean '" + close.get() + "'?");
        }
        unknown.add(key);
        continue;
      }
      checkValue(definition.get(), value, source);
      checked.put(key, value);
    }
    if (!unknown.isEmpty()) {
      warnings.accept("ignoring settings no Kafka client knows in " + source + ": " + String.join(", ", unknown));
    }
    Optional<String> bootstrap = Optional.ofNullable(checked.remove(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG));
    KafkaSettingsPreflight.check(checked, source);
    return new KafkaClientSettings(bootstrap, checked);
  }

  /**
   * The connection to use: {@code bootstrapServers} if given, else the file's.
   *
   * @throws KafkaSettingsException if neither gives bootstrap servers
   */
  public KafkaConnection connection(String bootstrapServers) {
    String servers = bootstrapServers != null && !bootstrapServers.isBlank()
        ? bootstrapServers
        : this.bootstrapServers.orElseThrow(() -> new KafkaSettingsException(
            "Expected Kafka bootstrap servers (--bootstrap-servers, GROUNDCONTROL_BOOTSTRAP_SERVERS or bootstrap.servers "
                + "in the Kafka config file), but none was given"));
    return new KafkaConnection(servers, settings);
  }

  private static Map<String, String> load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new KafkaSettingsException("Expected a Kafka client properties file at " + file + ", but there is none");
    }
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException | IllegalArgumentException e) {
      throw new KafkaSettingsException("Could not read Kafka client properties file " + file + ": " + e.getMessage());
    }
    Map<String, String> settings = new LinkedHashMap<>();
    properties.stringPropertyNames().forEach(key -> settings.put(key, properties.getProperty(key)));
    return settings;
  }

  private static Optional<ConfigDef.ConfigKey> definition(String key) {
    for (ConfigDef def : CLIENT_DEFS) {
      ConfigDef.ConfigKey definition = def.configKeys().get(key);
      if (definition != null) {
        return Optional.of(definition);
      }
    }
    return Optional.empty();
  }

  /** Whether {@code key} is a Kafka client setting of type PASSWORD, whose value must appear in no message. */
  static boolean isPassword(String key) {
    return definition(key).map(definition -> definition.type == ConfigDef.Type.PASSWORD).orElse(false);
  }

  private static Set<String> knownKeys() {
    Set<String> keys = new TreeSet<>();
    CLIENT_DEFS.forEach(def -> keys.addAll(def.names()));
    return keys;
  }

  private static void checkValue(ConfigDef.ConfigKey definition, String value, String source) {
    try {
      Object parsed = ConfigDef.parseType(definition.name, value, definition.type);
      if (definition.validator != null) {
        definition.validator.ensureValid(definition.name, parsed);
      }
    } catch (ConfigException e) {
      // Kafka's message quotes the value; a password's must not be repeated.
      String why = definition.type == ConfigDef.Type.PASSWORD ? "it is not a valid " + definition.type
          : e.getMessage();
      throw new KafkaSettingsException("Expected a valid value of '" + definition.name + "' in " + source + ", but "
          + why);
    }
  }
}
