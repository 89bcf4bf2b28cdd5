package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A record the coordinator cannot write is named in one line, and the thread fails rather than drop it;
 * a retriable error of the cluster is retried, as Kafka's default handler does.
 */
class ProductionErrorsTest {
  private static final ProducerRecord<byte[], byte[]> TOO_LARGE = new ProducerRecord<>(
      "gc-coordinator-missions-changelog", "m-16".getBytes(StandardCharsets.UTF_8), new byte[1_049_280]);
  private static final RecordTooLargeException REFUSED = new RecordTooLargeException(
      "The message is 1049380 bytes when serialized which is larger than 1048576");

  @Test
  void theLineNamesTheTopicTheMissionTheSizeAndTheInput() {
    assertThat(ProductionErrors.describe(DeadLettersTest.context(), TOO_LARGE, REFUSED)).isEqualTo(
        "Could not write a record of 1049284 bytes (key and value) to gc-coordinator-missions-changelog with key"
            + " 'm-16', made from the input at gc.stage-reports[1]@42:"
            + " org.apache.kafka.common.errors.RecordTooLargeException: The message is 1049380 bytes when serialized"
            + " which is larger than 1048576; the stream thread fails and reads the input again");
  }

  @Test
  void theRecordIsNotDropped() {
    ProductionExceptionHandler.Response response =
        new ProductionErrors().handleError(DeadLettersTest.context(), TOO_LARGE, REFUSED);

    assertThat(response.result()).isEqualTo(ProductionExceptionHandler.Result.FAIL);
    assertThat(response.deadLetterQueueRecords()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(classes = {TimeoutException.class, NotEnoughReplicasException.class,
      NotLeaderOrFollowerException.class, UnknownTopicOrPartitionException.class})
  void aRetriableErrorOfTheClusterIsRetriedNotFailed(Class<? extends Exception> type) throws Exception {
    Exception retriable = type.getConstructor(String.class).newInstance("the broker was away");

    ProductionExceptionHandler.Response response =
        new ProductionErrors().handleError(DeadLettersTest.context(), TOO_LARGE, retriable);

    assertThat(response.result()).isEqualTo(ProductionExceptionHandler.Result.RETRY);
    assertThat(response.deadLetterQueueRecords()).isEmpty();
  }

  @Test
  void theCoordinatorUsesIt() {
    assertThat(CoordinatorConfig.defaults("unused:9092", Path.of("unused")).streamsProperties()
        .get(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG)).isEqualTo(ProductionErrors.class);
  }
}
