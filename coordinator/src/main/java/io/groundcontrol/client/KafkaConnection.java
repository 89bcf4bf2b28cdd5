package io.groundcontrol.client;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

/**
 * How to reach one Kafka cluster: its bootstrap servers and the client settings every client of
 * it needs (security protocol, SASL, TLS, timeouts), as read from a Kafka client properties file.
 * Every producer, consumer, admin client and Kafka Streams instance of Groundcontrol starts from
 * {@link #clientConfig()}, so a setting given once reaches all of them.
 *
 * <p>{@link #toString()} never shows setting values: they may hold passwords and JAAS configs.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param settings Kafka client settings besides {@code bootstrap.servers}; empty for a plaintext cluster
 */
public record KafkaConnection(String bootstrapServers, Map<String, String> settings) {
  private static final Pattern JAAS_USERNAME = Pattern.compile("username\\s*=\\s*\"([^\"]*)\"");

  /** Checks every value. */
  public KafkaConnection {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    if (bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("Expected Kafka bootstrap servers, but got an empty string");
    }
    settings = Map.copyOf(new TreeMap<>(settings));
    if (settings.containsKey(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
      throw new IllegalArgumentException("Expected bootstrap.servers apart from the client settings, but the settings "
          + "set it too");
    }
  }

  /** A cluster that needs no settings: plaintext, no authentication (the embedded broker). */
  public static KafkaConnection plaintext(String bootstrapServers) {
    return new KafkaConnection(bootstrapServers, Map.of());
  }

  /** The same settings for another address (e.g. a port chosen at start). */
  public KafkaConnection withBootstrapServers(String servers) {
    return new KafkaConnection(servers, settings);
  }

  /** A fresh, mutable client config: the settings plus {@code bootstrap.servers}; add client-specific keys to it. */
  public Map<String, Object> clientConfig() {
    Map<String, Object> config = new HashMap<>(settings);
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return config;
  }

  /** {@link #clientConfig()} with {@code clientSpecific} on top. */
  public Map<String, Object> clientConfig(Map<String, ?> clientSpecific) {
    Map<String, Object> config = clientConfig();
    config.putAll(clientSpecific);
    return config;
  }

  /** An admin client of this cluster; close it. */
  public Admin admin() {
    return Admin.create(clientConfig());
  }

  /** The security protocol, {@code PLAINTEXT} unless the settings say otherwise. */
  public String securityProtocol() {
    return settings.getOrDefault(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT");
  }

  /**
   * Who the broker will take this client for, as far as the settings say, for error messages:
   * {@code User:alice} for a SASL username, the keystore for a TLS client certificate,
   * {@code User:ANONYMOUS} otherwise.
   */
  public String principal() {
    String jaas = settings.get(SaslConfigs.SASL_JAAS_CONFIG);
    if (jaas != null) {
      Matcher username = JAAS_USERNAME.matcher(jaas);
      if (username.find()) {
        return "User:" + username.group(1);
      }
      return "the SASL login of sasl.jaas.config";
    }
    if (securityProtocol().startsWith("SASL")) {
      return "the SASL login (no sasl.jaas.config given)";
    }
    String keystore = settings.get(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG);
    if (keystore != null) {
      return "the client certificate in " + keystore;
    }
    return "User:ANONYMOUS";
  }

  /** The address, protocol and principal; never a setting's value. */
  @Override
  public String toString() {
    return bootstrapServers + " (" + securityProtocol() + ", " + principal() + ")";
  }
}
