package io.groundcontrol.kafka.embedded;

/** Thrown when an embedded Kafka node cannot be formatted, started or reached. */
public class EmbeddedKafkaException extends RuntimeException {

    /**
     * @param message what failed, naming the data directory or address involved
     * @param cause   the underlying failure
     */
    public EmbeddedKafkaException(String message, Throwable cause) {
        super(message, cause);
    }
}
