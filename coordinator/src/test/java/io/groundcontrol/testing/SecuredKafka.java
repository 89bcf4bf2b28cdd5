package io.groundcontrol.testing;

import io.groundcontrol.client.KafkaConnection;
import io.groundcontrol.kafka.embedded.BrokerSecurity;
import io.groundcontrol.kafka.embedded.EmbeddedKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;

/**
 * A secured single-node Kafka for one test class: SASL_SSL with SCRAM-SHA-512, the standard KRaft
 * authorizer, certificates made by {@link TestCertificates}. Users are created with the Admin API
 * by the super user (the broker's certificate); they start with no ACL, so no access.
 */
public final class SecuredKafka implements AutoCloseable {
  private final Path dir;
  private final EmbeddedKafka broker;
  private final BrokerSecurity security;
  private Admin admin;

  private SecuredKafka(Path dir, EmbeddedKafka broker, BrokerSecurity security) {
    this.dir = dir;
    this.broker = broker;
    this.security = security;
  }

  /** Makes the certificates and starts the broker. */
  public static SecuredKafka start() {
    return start(Map.of());
  }

  /**
   * Makes the certificates and starts the broker, which also accepts {@code plainUsers} with SASL
   * PLAIN: librdkafka before 2.6.1 (Debian's python3-confluent-kafka) fails SCRAM against Kafka 4.
   */
  public static SecuredKafka start(Map<String, String> plainUsers) {
    Path dir;
    try {
      dir = Files.createTempDirectory("groundcontrol-secured-kafka-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    BrokerSecurity security = TestCertificates.brokerSecurity(dir).withPlainUsers(plainUsers);
    EmbeddedKafka broker = EmbeddedKafka.builder().dataDir(dir.resolve("kafka")).secured(security)
        .defaultPartitions(2).startupTimeout(java.time.Duration.ofSeconds(120)).build().start();
    return new SecuredKafka(dir, broker, security);
  }

  /** The client listener (SASL_SSL). */
  public String bootstrapServers() {
    return broker.bootstrapServers();
  }

  /** The super user's connection: TLS with the broker's certificate. */
  public KafkaConnection superUser() {
    return new KafkaConnection(broker.superUserBootstrapServers(), security.superUserClientSettings());
  }

  /** The super user's admin client, owned by this broker: callers must not close it. */
  public synchronized Admin admin() {
    if (admin == null) {
      admin = superUser().admin();
    }
    return admin;
  }

  /** The connection of a SCRAM user on the client listener. */
  public KafkaConnection user(String name, String password) {
    return new KafkaConnection(bootstrapServers(), security.scramClientSettings(name, password));
  }

  /** Creates SCRAM-SHA-512 users, each with the given password, and waits until the broker has them. */
  public void createUsers(Map<String, String> passwords) {
    List<UserScramCredentialUpsertion> upserts = passwords.entrySet().stream()
        .map(user -> new UserScramCredentialUpsertion(
            user.getKey(), new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), user.getValue()))
        .toList();
    try (Admin admin = superUser().admin()) {
      admin.alterUserScramCredentials(List.copyOf(upserts)).all().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("Could not create SCRAM users " + passwords.keySet(), e);
    }
    passwords.forEach(this::awaitLogin);
  }

  /** The controller has the credential before the broker applies it: wait until a login succeeds. */
  private void awaitLogin(String name, String password) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    try (Admin admin = user(name, password).admin()) {
      while (true) {
        try {
          admin.describeCluster().nodes().get(10, TimeUnit.SECONDS);
          return;
        } catch (Exception e) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("User " + name + " could not log in within 60 s", e);
          }
          java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
      }
    }
  }

  /**
   * Gives {@code User:<user>} a role's ACLs the way an administrator would:
   * {@code groundcontrol acl print --apply --principal User:<user> ROLE_ARGS} with the super user's settings.
   *
   * @param roleArgs e.g. {@code "--role", "worker", "--component", "ml"}
   */
  public void grant(String user, String... roleArgs) {
    Path admin = propertiesFile("admin", superUser());
    List<String> args = new java.util.ArrayList<>(List.of("acl", "print", "--apply", "--principal", "User:" + user,
        "--kafka-config", admin.toString()));
    args.addAll(List.of(roleArgs));
    io.groundcontrol.audit.CliRun run = io.groundcontrol.audit.CliRun.of(args.toArray(String[]::new));
    if (run.exitCode() != 0) {
      throw new IllegalStateException("Could not grant " + user + " " + List.of(roleArgs) + ": " + run);
    }
  }

  /** Gives {@code User:<user>} the worker role's ACLs of each component, as {@link #grant} does. */
  public void grantWorker(String user, String... components) {
    for (String component : components) {
      grant(user, "--role", "worker", "--component", component);
    }
  }

  /** The broker's certificate as PEM, the trust anchor for clients that do not read PKCS12 (librdkafka). */
  public Path certificatePem() {
    return dir.resolve("broker.pem");
  }

  /** Writes a user's client properties file, as the user would keep it, with {@code bootstrap.servers} in it. */
  public Path propertiesFile(String name, KafkaConnection connection) {
    Map<String, String> settings = new java.util.HashMap<>(connection.settings());
    settings.put("bootstrap.servers", connection.bootstrapServers());
    return TestCertificates.propertiesFile(dir, name, settings);
  }

  @Override
  public void close() {
    synchronized (this) {
      if (admin != null) {
        admin.close();
      }
    }
    broker.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // A leftover temporary directory harms nothing.
    }
  }
}
