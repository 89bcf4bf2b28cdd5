package io.groundcontrol.coordinator;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.internals.ExceptionHandlerUtils;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' error handlers for bad input: the record goes to the dead-letter topic with its
 * origin and the reason in headers (KIP-1034's header names, read by {@code groundcontrol
 * dead-letters}), processing continues, and the log gets one line with topic, partition, offset, key
 * and the reason, which says what was expected and what was found. A stack trace is logged only for
 * what is not bad input but a bug.
 *
 * <p>A failure of Kafka or of a state store met while a record is processed (a write Kafka refused,
 * which Kafka Streams throws at the next send; a store that failed) is not the record's fault and is
 * not dead-lettered: the stream thread fails, so that the input is read again from the last commit and
 * Coordinator's uncaught exception handler decides (an access error stops the coordinator in one line).
 */
public final class DeadLetters {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

  private DeadLetters() {}

  /**
   * For records that cannot be decoded, such as a wrong schema fingerprint. A record of a global
   * store (plans, components, triggers) is skipped with the same log line but not dead-lettered:
   * Kafka Streams' global thread cannot send dead letters and dies trying (KAFKA-19939).
   */
  public static final class Deserialization implements DeserializationExceptionHandler {
    private String topic;

    @Override
    public void configure(Map<String, ?> configs) {
      topic = deadLetterTopic(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
      if (onGlobalThread(context)) {
        LOG.warn("Skipped the record at {}[{}]@{} with key {} (a global store's record, which is not dead-lettered; "
            + "the store keeps what it had for the key): {}", record.topic(), record.partition(), record.offset(),
            key(record.key()), exception.getMessage());
        return Response.resume();
      }
      LOG.warn("Dead-lettered the record at {}[{}]@{} with key {}: {}", record.topic(), record.partition(),
          record.offset(), key(record.key()), exception.getMessage());
      return Response.resume(records(topic, context, exception));
    }

    /**
     * Whether the record was read by the global thread, which updates the global stores. Kafka
     * Streams 4.x gives its context the task id -1_-1 ({@code GlobalProcessorContextImpl}), both
     * when it restores and when it updates them; a stream task's numbers are never negative. Its
     * {@code RecordDeserializer} casts that context to a record collector to send dead letters,
     * which the global one is not.
     */
    static boolean onGlobalThread(ErrorHandlerContext context) {
      return context.taskId() != null && context.taskId().subtopology() < 0;
    }
  }

  /**
   * For records that decode but cannot be given to a mission, such as a key that is not the mission id,
   * and for bugs met processing a record or a scheduled step; Kafka's and the stores' failures fail the
   * thread, and tell {@link InputStalls} which input did not get past them.
   */
  public static final class Processing implements ProcessingExceptionHandler {
    private String topic;
    private InputStalls stalls = InputStalls.of(Map.of());

    @Override
    public void configure(Map<String, ?> configs) {
      topic = deadLetterTopic(configs);
      stalls = InputStalls.of(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
      if (InfrastructureFaults.isInfrastructure(exception)) {
        stalls.failed(context, exception);
        LOG.warn("Not dead-lettered: {} failed with an error of Kafka or a state store, not of the record: {}; the"
            + " stream thread fails and reads the input again from the last commit", where(context),
            exception.toString().replaceAll("\\s*\\R\\s*", " "));
        return Response.fail();
      }
      if (exception instanceof InvalidInputException) {
        LOG.warn("Dead-lettered the record at {}[{}]@{} with key {}: {}", context.topic(), context.partition(),
            context.offset(), key(context.sourceRawKey()), exception.getMessage());
      } else if (context.topic() == null) {
        // Punctuation: no input record to dead-letter; Kafka Streams goes on with the next one.
        LOG.error("A scheduled step of task {} (timers, leases) failed with an unexpected error at processor {}",
            context.taskId(), context.processorNodeId(), exception);
      } else {
        LOG.error("Dead-lettered the record at {}[{}]@{} after an unexpected error", context.topic(),
            context.partition(), context.offset(), exception);
      }
      return Response.resume(records(topic, context, exception));
    }
  }

  private static String where(ErrorHandlerContext context) {
    return context.topic() == null ? "a scheduled step of task " + context.taskId() + " (timers, leases)"
        : "the record at " + context.topic() + "[" + context.partition() + "]@" + context.offset();
  }

  private static String deadLetterTopic(Map<String, ?> configs) {
    Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
    return topic == null ? null : topic.toString();
  }

  private static List<ProducerRecord<byte[], byte[]>> records(String topic, ErrorHandlerContext context, Exception e) {
    return ExceptionHandlerUtils.maybeBuildDeadLetterQueueRecords(
        topic, context.sourceRawKey(), context.sourceRawValue(), context, e);
  }

  private static String key(byte[] key) {
    return key == null ? "null" : "'" + new String(key, StandardCharsets.UTF_8) + "'";
  }
}
