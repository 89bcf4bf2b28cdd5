package io.groundcontrol.coordinator;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' handler for a record the coordinator could not write.
 *
 * <p>A retriable error ({@link RetriableException}: a batch expired while the broker was away longer
 * than {@code delivery.timeout.ms}, too few in-sync replicas, a leader moving) is the cluster's, not a
 * mission's: it answers RETRY, as Kafka's default handler does, and Kafka Streams revives the task in
 * the same stream thread, which reads the task's input again from its last commit. One WARN line
 * names the topic and the error, and no mission. No thread is replaced, so an error that never heals
 * shows only as an input that does not move: {@link InputStalls} is told of each try, and the instance
 * turns not ready, then not live ({@link InputStall}).
 *
 * <p>Any other error, such as a record Kafka refuses as too large, would fail again on every retry: one
 * ERROR line names the topic, the key (the mission id, or a mission id and a stage in a store's
 * changelog), the record's size and the input it was made from, so that an operator can find the
 * mission; then the stream thread fails (Coordinator's uncaught exception handler replaces it).
 *
 * <p>It never answers CONTINUE. Under exactly-once a send refused at once, as a record too large is,
 * leaves the producer's transaction abortable (KAFKA-9279), so the commit fails anyway; and without
 * a transaction, dropping a changelog write leaves the store ahead of what a restore rebuilds, and
 * dropping an event or an instruction loses it. The bounds on outputs, errors, params and reasons,
 * and the missions store's size-aware layout, keep the coordinator's records well within the limit;
 * this line is for what slips past them. A record that cannot be serialized is not handled here:
 * Kafka's default fails the thread.
 */
public final class ProductionErrors implements ProductionExceptionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ProductionErrors.class);
  /** Characters of a key quoted in the line, at most: a mission id takes at most 200. */
  private static final int KEY_CHARS = 300;

  private InputStalls stalls = InputStalls.of(Map.of());

  @Override
  public void configure(Map<String, ?> configs) {
    stalls = InputStalls.of(configs);
  }

  @Override
  public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
    stalls.failed(context, exception);
    if (exception instanceof RetriableException) {
      LOG.warn("Kafka could not take a write to {} for now: {}; retriable, an error of the cluster and not of a"
          + " mission: the task reads its input again from its last commit", record.topic(), exception.toString());
      return Response.retry();
    }
    LOG.error(describe(context, record, exception));
    return Response.fail();
  }

  /** The one line logged for {@code record} when {@code exception} is not retriable. */
  static String describe(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
    int bytes = (record.key() == null ? 0 : record.key().length) + (record.value() == null ? 0 : record.value().length);
    String input = context == null || context.topic() == null ? "a scheduled step (timers, leases)"
        : "the input at " + context.topic() + "[" + context.partition() + "]@" + context.offset();
    return "Could not write a record of " + bytes + " bytes (key and value) to " + record.topic() + " with key "
        + key(record.key()) + ", made from " + input + ": " + exception + "; the stream thread fails and reads the"
        + " input again";
  }

  private static String key(byte[] key) {
    if (key == null) {
      return "null";
    }
    String text = new String(key, StandardCharsets.UTF_8);
    return "'" + (text.length() > KEY_CHARS ? text.substring(0, KEY_CHARS) + "..." : text) + "'";
  }
}
