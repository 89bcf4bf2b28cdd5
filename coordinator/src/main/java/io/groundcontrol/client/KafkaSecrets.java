package io.groundcontrol.client;

import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.SaslConfigs;

/**
 * Keeps the secrets of Kafka client settings out of a message: the value of every password
 * setting, and every word of {@code sasl.jaas.config} but its login module, control flag and
 * option names (a malformed entry can put a password where Kafka's parser quotes a name).
 */
final class KafkaSecrets {
  private static final Pattern JAAS_WORD = Pattern.compile("\"[^\"]*\"|[^\\s=;\"]+");
  private static final Set<String> FLAGS = Set.of("required", "requisite", "sufficient", "optional");

  private KafkaSecrets() {}

  /** {@code message} with every secret of {@code settings} replaced by {@code [hidden]}. */
  static String redact(String message, Map<String, String> settings) {
    if (message == null) {
      return null;
    }
    Set<String> secrets = new TreeSet<>(Comparator.comparing(String::length).reversed().thenComparing(s -> s));
    settings.forEach((key, value) -> {
      if (KafkaClientSettings.isPassword(key) && !value.isEmpty()) {
        secrets.add(value);
      }
    });
    String jaas = settings.get(SaslConfigs.SASL_JAAS_CONFIG);
    if (jaas != null) {
      secrets.addAll(jaasValues(jaas));
    }
    String redacted = message;
    for (String secret : secrets) {
      // Whole words only: a short value must not blank out the letters of the rest of the message.
      redacted = redacted.replaceAll("(?<!\\w)" + Pattern.quote(secret) + "(?!\\w)", "[hidden]");
    }
    return redacted;
  }

  /** Every word of a JAAS entry but the first (the login module), control flags and option names. */
  private static Set<String> jaasValues(String jaas) {
    Set<String> values = new TreeSet<>();
    Matcher word = JAAS_WORD.matcher(jaas);
    int previousEnd = 0;
    while (word.find()) {
      String token = word.group();
      // The first word of each entry (entries end with ';') is its login module.
      boolean first = previousEnd == 0 || jaas.substring(previousEnd, word.start()).contains(";");
      previousEnd = word.end();
      boolean optionName = jaas.substring(word.end()).stripLeading().startsWith("=");
      if (!first && !optionName && !FLAGS.contains(token.toLowerCase(Locale.ROOT))) {
        String bare = token.startsWith("\"") ? token.substring(1, token.length() - 1) : token;
        if (!bare.isEmpty()) {
          values.add(bare);
        }
      }
    }
    return values;
  }
}
