package io.groundcontrol.client;

import java.util.Map;
import java.util.Optional;
import javax.security.auth.login.LoginException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.SaslConfigs;

/**
 * Turns a Kafka client that could not be made into one line: where its settings came from, the
 * key the failure names (a store file's, or {@code sasl.jaas.config}), and Kafka's reason, with
 * every secret hidden. What {@link KafkaSettingsPreflight} cannot see (a wrong store password, a
 * store of another type, an unresolvable bootstrap address) ends here.
 */
public final class KafkaClientFailures {
  private KafkaClientFailures() {}

  /**
   * The line for {@code error} if it, or a cause, is a Kafka client failing to be constructed.
   *
   * @param source the settings file, {@code --kafka-property}, or null if no setting was given
   */
  public static Optional<String> describe(Throwable error, KafkaConnection connection, String source) {
    Throwable construction = construction(error);
    if (construction == null || connection == null) {
      return Optional.empty();
    }
    String reason = KafkaSecrets.redact(reasons(construction.getCause()), connection.settings());
    String where = source == null
        ? "Could not make a Kafka client for " + connection.bootstrapServers()
        : "Could not make a Kafka client from the settings in " + source
            + keyNamedBy(construction, reason, connection.settings()).map(key -> " ('" + key + "')").orElse("");
    return Optional.of(where + ": " + reason + (source == null ? "" : "; correct them (README \"Security\")"));
  }

  /** The "Failed to construct ..." exception Kafka's producer, consumer and admin client throw. */
  private static Throwable construction(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (wrapper(t)) {
        return t;
      }
    }
    return null;
  }

  /** Kafka's "could not make this part" exceptions, which only wrap the reason. */
  private static boolean wrapper(Throwable t) {
    return t instanceof KafkaException && t.getMessage() != null && t.getCause() != null
        && (t.getMessage().startsWith("Failed to construct kafka") || t.getMessage().startsWith("Failed to create new"));
  }

  /** The messages of {@code cause} and its causes, each left out when an earlier one already says it. */
  private static String reasons(Throwable cause) {
    StringBuilder text = new StringBuilder();
    Throwable last = cause;
    for (Throwable t = cause; t != null; t = t.getCause()) {
      last = t;
      String message = t.getMessage();
      if (message != null && !message.isBlank() && text.indexOf(message.strip()) < 0 && !wrapper(t)) {
        text.append(text.length() == 0 ? "" : ": ").append(message.strip());
      }
    }
    String kind = last.getClass().getSimpleName();
    if (!(last instanceof KafkaException) && text.indexOf(kind) < 0) {
      // "(NoSuchFileException)" says what a bare path does not.
      text.append(text.length() == 0 ? kind : " (" + kind + ")");
    }
    return text.toString().replaceAll("\\s*\\R\\s*", " ");
  }

  private static Optional<String> keyNamedBy(Throwable construction, String reason, Map<String, String> settings) {
    for (Throwable t = construction; t != null; t = t.getCause()) {
      if (t instanceof LoginException || String.valueOf(t.getMessage()).contains("JAAS")) {
        return Optional.of(SaslConfigs.SASL_JAAS_CONFIG);
      }
    }
    return settings.entrySet().stream()
        .filter(setting -> !KafkaClientSettings.isPassword(setting.getKey()) && setting.getValue().length() > 3
            && reason.contains(setting.getValue()))
        .map(Map.Entry::getKey).sorted().findFirst();
  }
}
