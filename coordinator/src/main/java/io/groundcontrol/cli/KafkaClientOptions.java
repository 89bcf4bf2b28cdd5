package io.groundcontrol.cli;

import io.groundcontrol.client.KafkaClientSettings;
import io.groundcontrol.client.KafkaConnection;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The Kafka client settings of a command: a properties file as the Kafka tools take it, and
 * single settings on top. Every client a command creates starts from {@link #connection(String)}.
 */
final class KafkaClientOptions {
  @Option(
      names = "--kafka-config",
      paramLabel = "FILE",
      defaultValue = "${env:" + KafkaClientSettings.ENVIRONMENT_VARIABLE + "}",
      description = "Kafka client properties file (security.protocol, sasl.*, ssl.*, ...; may set bootstrap.servers), "
          + "as for the Kafka tools' --command-config (env " + KafkaClientSettings.ENVIRONMENT_VARIABLE + ").")
  Path file;

  @Option(names = "--kafka-property", paramLabel = "KEY=VALUE",
      description = "A Kafka client setting, over the file's. Repeatable. Prefer the file for secrets: arguments "
          + "are visible to other users of the machine.")
  Map<String, String> properties = new LinkedHashMap<>();

  private KafkaConnection connection;

  /**
   * The connection to {@code bootstrapServers} (or the file's {@code bootstrap.servers} if null),
   * with the settings read and checked; remembered for error messages.
   */
  KafkaConnection connection(String bootstrapServers) {
    connection = settings().connection(bootstrapServers);
    return connection;
  }

  /** The settings, read and checked. */
  KafkaClientSettings settings() {
    return KafkaClientSettings.read(file, properties, warning -> System.err.println("warning: " + warning));
  }

  /** Whether any setting or file was given. */
  boolean given() {
    return file != null || !properties.isEmpty();
  }

  /** Where the settings come from, for error messages: the file, {@code --kafka-property}, or null if none was given. */
  String source() {
    return file != null ? file.toString() : properties.isEmpty() ? null : "--kafka-property";
  }

  /** The last connection made, to name the principal when the cluster refuses it; null if none. */
  KafkaConnection lastConnection() {
    return connection;
  }
}
