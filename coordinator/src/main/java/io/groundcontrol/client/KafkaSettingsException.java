package io.groundcontrol.client;

/** Kafka client settings that cannot be used, with a message saying which and why (never a secret's value). */
public final class KafkaSettingsException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public KafkaSettingsException(String message) {
    super(message);
  }
}
