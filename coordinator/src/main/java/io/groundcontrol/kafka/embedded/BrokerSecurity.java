package io.groundcontrol.kafka.embedded;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How an {@link EmbeddedKafka} is secured, as a production cluster is: clients connect over
 * SASL_SSL with SCRAM-SHA-512 and are checked by the standard KRaft authorizer
 * ({@code StandardAuthorizer}: no ACL, no access). The broker talks to itself and its controller
 * over TLS with client certificates; the certificate's principal is the one super user, which an
 * administrator (or a test) also uses to create the first SCRAM users and ACLs through
 * {@link EmbeddedKafka#superUserBootstrapServers()} and {@link #superUserClientSettings()}.
 *
 * <p>One PKCS12 keystore (the broker's key and certificate, with 127.0.0.1 among its subject
 * alternative names) and one PKCS12 truststore that trusts it.
 *
 * @param keystore the broker's PKCS12 keystore
 * @param keystorePassword its password, also the key's
 * @param truststore PKCS12 truststore trusting the broker's certificate (or its CA)
 * @param truststorePassword its password
 * @param brokerPrincipal the principal of the broker's certificate, e.g. {@code User:CN=broker}
 * @param plainUsers users (name to password) the client listener also accepts with SASL PLAIN, for
 *     clients whose SCRAM does not work with Kafka 4 (librdkafka before 2.6.1); empty: SCRAM only
 */
public record BrokerSecurity(
    Path keystore, String keystorePassword, Path truststore, String truststorePassword, String brokerPrincipal,
    Map<String, String> plainUsers) {
  /** The only SASL mechanism the client listener offers. */
  public static final String SCRAM_MECHANISM = "SCRAM-SHA-512";

  /** Checks every value. */
  public BrokerSecurity {
    Objects.requireNonNull(keystore, "keystore");
    Objects.requireNonNull(keystorePassword, "keystorePassword");
    Objects.requireNonNull(truststore, "truststore");
    Objects.requireNonNull(truststorePassword, "truststorePassword");
    Objects.requireNonNull(brokerPrincipal, "brokerPrincipal");
    plainUsers = Map.copyOf(plainUsers);
  }

  /** Security with SCRAM users only. */
  public BrokerSecurity(
      Path keystore, String keystorePassword, Path truststore, String truststorePassword, String brokerPrincipal) {
    this(keystore, keystorePassword, truststore, truststorePassword, brokerPrincipal, Map.of());
  }

  /** The same security, also accepting {@code users} with SASL PLAIN (over TLS). */
  public BrokerSecurity withPlainUsers(Map<String, String> users) {
    return new BrokerSecurity(keystore, keystorePassword, truststore, truststorePassword, brokerPrincipal, users);
  }

  /** Client settings for a SCRAM user on the client listener; add {@code bootstrap.servers}. */
  public Map<String, String> scramClientSettings(String username, String password) {
    Map<String, String> settings = trustSettings();
    settings.put("security.protocol", "SASL_SSL");
    settings.put("sasl.mechanism", SCRAM_MECHANISM);
    settings.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
        + username + "\" password=\"" + password + "\";");
    return settings;
  }

  /** Client settings of the super user: TLS with the broker's own certificate, on the super-user listener. */
  public Map<String, String> superUserClientSettings() {
    Map<String, String> settings = trustSettings();
    settings.put("security.protocol", "SSL");
    settings.put("ssl.keystore.location", keystore.toAbsolutePath().toString());
    settings.put("ssl.keystore.password", keystorePassword);
    settings.put("ssl.key.password", keystorePassword);
    settings.put("ssl.keystore.type", "PKCS12");
    return settings;
  }

  private Map<String, String> trustSettings() {
    Map<String, String> settings = new HashMap<>();
    settings.put("ssl.truststore.location", truststore.toAbsolutePath().toString());
    settings.put("ssl.truststore.password", truststorePassword);
    settings.put("ssl.truststore.type", "PKCS12");
    return settings;
  }

  /** Never shows a password. */
  @Override
  public String toString() {
    return "BrokerSecurity[keystore=" + keystore + ", truststore=" + truststore + ", brokerPrincipal=" + brokerPrincipal
        + ", plainUsers=" + plainUsers.keySet() + "]";
  }
}
