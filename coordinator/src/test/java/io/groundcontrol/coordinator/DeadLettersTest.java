package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.StageReport;
import io.groundcontrol.schema.wire.AvroCodec;
import io.groundcontrol.schema.wire.WireFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The error handlers: a dead letter with origin and reason in headers, and processing goes on; a
 * failure of Kafka or a state store fails the stream thread instead of blaming the record.
 */
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

  /** As kafka-streams 4.3 throws them into a processor: RecordCollectorImpl, StreamsProducer, the stores. */
  static Stream<Arguments> failuresOfKafkaOrAStore() {
    return Stream.of(
        Arguments.of("a send refused earlier, thrown at the next send", new StreamsException(
            "Error encountered sending record to topic gc.instructions.w for task 0_1 due to: ...",
            new TopicAuthorizationException(Set.of("gc.instructions.w")))),
        Arguments.of("a batch expired while the broker was away", new StreamsException(
            "Error encountered sending record to topic gc.instructions.w for task 0_1 due to: ...",
            new TimeoutException("Expiring 3 record(s) for gc.instructions.w-0: 120000 ms has passed"))),
        Arguments.of("metadata that did not come in time (partitionsFor)", new TimeoutException("Timeout expired")),
        Arguments.of("the producer refusing a send", new StreamsException(
            "Error encountered trying to send record to topic gc.mission-events", new KafkaException(
                "Cannot perform send because at least one previous transactional or idempotent request has failed",
                new NotEnoughReplicasException("Messages are rejected since there are fewer in-sync replicas")))),
        Arguments.of("RocksDB failing", new ProcessorStateException("Error while putting key m-1 into store missions",
            new IOException("No space left on device"))),
        Arguments.of("a store closed under the processor", new InvalidStateStoreException("Store missions is closed")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failuresOfKafkaOrAStore")
  void aFailureOfKafkaOrAStoreFailsTheStreamThreadAndDeadLettersNothing(String what, Exception failure) {
    ProcessingExceptionHandler.Response response = processing().handleError(context(), record(), failure);

    assertThat(response.result()).isEqualTo(ProcessingExceptionHandler.Result.FAIL);
    assertThat(response.deadLetterQueueRecords()).isEmpty();
  }

  /** The record's fault, or the coordinator's: a record Kafka Streams will never get through. */
  static Stream<Arguments> failuresOfTheRecordOrTheCode() {
    return Stream.of(
        Arguments.of("bad input", new InvalidInputException("Expected the key to be the mission id 'm-1', but got 'x'")),
        Arguments.of("a bug", new NullPointerException("stage")),
        Arguments.of("a store value that does not decode", decodeFailure()),
        Arguments.of("an output our serializer cannot write", new StreamsException(
            "Unable to serialize record. ProducerRecord(topic=[gc.mission-events], partition=[null], timestamp=[0]",
            new WireFormatException("Expected a MissionEvent"))),
        Arguments.of("an output a Kafka serializer cannot write", new StreamsException(
            "Unable to serialize record. ProducerRecord(topic=[gc.mission-events], partition=[null], timestamp=[0]",
            new SerializationException("Can't convert value"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failuresOfTheRecordOrTheCode")
  void aFailureOfTheRecordOrTheCodeDeadLettersTheRecordAndGoesOn(String what, Exception failure) {
    ProcessingExceptionHandler.Response response = processing().handleError(context(), record(), failure);

    assertThat(response.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
    assertThat(response.deadLetterQueueRecords()).singleElement()
        .satisfies(letter -> assertThat(letter.key()).isEqualTo(KEY));
  }

  private static DeadLetters.Processing processing() {
    DeadLetters.Processing handler = new DeadLetters.Processing();
    handler.configure(Map.of(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "gc.dead-letters"));
    return handler;
  }

  private static Record<String, String> record() {
    return new Record<>("m-1", "input", 0L);
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
