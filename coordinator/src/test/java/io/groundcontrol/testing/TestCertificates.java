package io.groundcontrol.testing;

import io.groundcontrol.kafka.embedded.BrokerSecurity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A broker certificate made for one test run with the JDK's own {@code keytool}: a self-signed
 * RSA key pair for {@code CN=broker} with 127.0.0.1 and localhost as subject alternative names
 * (clients verify the host name), in a PKCS12 keystore, and a truststore holding the certificate.
 * Nothing is downloaded and nothing outlives the directory.
 */
public final class TestCertificates {
  private static final String PASSWORD = "test-" + Long.toHexString(System.nanoTime());

  private TestCertificates() {}

  /** Makes the keystore and truststore in {@code dir} and returns the broker's security settings. */
  public static BrokerSecurity brokerSecurity(Path dir) {
    Path keystore = dir.resolve("broker.p12");
    Path certificate = dir.resolve("broker.pem");
    Path truststore = dir.resolve("truststore.p12");
    keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
        "-dname", "CN=broker", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
        "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
    keytool("-exportcert", "-rfc", "-alias", "broker", "-file", certificate.toString(),
        "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
    keytool("-importcert", "-noprompt", "-alias", "broker", "-file", certificate.toString(),
        "-keystore", truststore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
    return new BrokerSecurity(keystore, PASSWORD, truststore, PASSWORD, "User:CN=broker");
  }

  private static void keytool(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Writes {@code settings} as a Kafka client properties file, as a user would keep them. */
  public static Path propertiesFile(Path dir, String name, java.util.Map<String, String> settings) {
    java.util.Properties properties = new java.util.Properties();
    properties.putAll(settings);
    Path file = dir.resolve(name + ".properties");
    try (var out = Files.newOutputStream(file)) {
      properties.store(out, "Kafka client settings of " + name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }
}
