package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.StageReport;
import io.groundcontrol.schema.wire.AvroCodec;
import io.groundcontrol.schema.wire.WireFormatException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

/** The error handlers: a dead letter with origin and reason in headers, and processing goes on. */
class DeadLettersTest {
  private static final byte[] KEY = "m-1".getBytes(StandardCharsets.UTF_8);
  private static final byte[] VALUE = {(byte) 0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 0};

  @Test
  void anUndecodableReportIsDeadLetteredWithExpectedAndFoundFingerprints() {
    DeadLetters.Deserialization handler = new DeadLetters.Deserialization();
    handler.configure(Map.of(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "gc.dead-letters"));
    WireFormatException failure = decodeFailure();

    DeserializationExceptionHandler.Response response = handler.handleError(
        context(), new ConsumerRecord<>("gc.stage-reports", 1, 42L, KEY, VALUE), failure);

    assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
    ProducerRecord<byte[], byte[]> letter = response.deadLetterQueueRecords().get(0);
    assertThat(letter.topic()).isEqualTo("gc.dead-letters");
    assertThat(letter.key()).isEqualTo(KEY);
    assertThat(letter.value()).isEqualTo(VALUE);
    assertThat(header(letter.headers(), "__streams.errors.topic")).isEqualTo("gc.stage-reports");
    assertThat(header(letter.headers(), "__streams.errors.offset")).isEqualTo("42");
    assertThat(header(letter.headers(), "__streams.errors.message"))
        .contains("fingerprint 0102030405060708 (hex): expected 4f209a97c157e41d");
  }

  @Test
  void withoutADeadLetterTopicTheRecordIsSkipped() {
    DeadLetters.Deserialization handler = new DeadLetters.Deserialization();
    handler.configure(Map.of());

    DeserializationExceptionHandler.Response response = handler.handleError(
        context(), new ConsumerRecord<>("gc.stage-reports", 1, 42L, KEY, VALUE), decodeFailure());

    assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
    assertThat(response.deadLetterQueueRecords()).isEmpty();
  }

  private static WireFormatException decodeFailure() {
    try {
      AvroCodec.of(StageReport.class).decode(VALUE);
      throw new AssertionError("decoded");
    } catch (WireFormatException e) {
      return e;
    }
  }

  private static String header(Headers headers, String name) {
    return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  /** The context of the input at gc.stage-reports[1]@42 with key m-1. */
  static ErrorHandlerContext context() {
    return new ErrorHandlerContext() {
      @Override public String topic() { return "gc.stage-reports"; }
      @Override public int partition() { return 1; }
      @Override public long offset() { return 42L; }
      @Override public Headers headers() { return new RecordHeaders(); }
      @Override public String processorNodeId() { return "stage-reports"; }
      @Override public TaskId taskId() { return new TaskId(0, 1); }
      @Override public long timestamp() { return 0L; }
      @Override public byte[] sourceRawKey() { return KEY; }
      @Override public byte[] sourceRawValue() { return VALUE; }
    };
  }
}
