package io.groundcontrol.coordinator;

import io.groundcontrol.client.KafkaAccessErrors;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.errors.StreamsException;

/**
 * Tells a failure of Kafka or of a state store, met while a record was processed, from one the record
 * or the coordinator's own code caused. Kafka Streams hands both to the processing exception handler:
 * a write Kafka refused in the producer's callback is kept by the record collector and thrown at its
 * next send (kafka-streams 4.x RecordCollectorImpl.checkForException), so it surfaces inside whichever
 * input or scheduled step comes next, which is not to blame.
 *
 * <p>Classified by type, as kafka-streams 4.3 wraps them: the record collector and the producer throw
 * a {@link StreamsException} whose cause is the client's {@link KafkaException} (or, for metadata that
 * did not come in time, the client's TimeoutException itself); a store throws a
 * {@link ProcessorStateException} (RocksDB) or an {@link InvalidStateStoreException}. A serializer's
 * failure is wrapped in a StreamsException too, but with the serializer's exception as the cause: that
 * record can never be written, so it is the record's or the code's fault.
 */
final class InfrastructureFaults {
  private InfrastructureFaults() {}

  /** Whether {@code error} is Kafka or a state store failing, rather than the record being processed or a bug. */
  static boolean isInfrastructure(Throwable error) {
    if (KafkaAccessErrors.isAccessError(error)) {
      return true;
    }
    boolean kafkaClient = false;
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SerializationException) {
        return false;
      }
      if (t instanceof ProcessorStateException || t instanceof InvalidStateStoreException) {
        return true;
      }
      kafkaClient |= t instanceof KafkaException && !(t instanceof StreamsException);
    }
    return kafkaClient;
  }
}
