package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An input partition with records waiting whose committed offset does not move makes the instance
 * not ready after two minutes and not live after ten, whether Kafka Streams retries its task in the
 * same thread (no thread is replaced) or replaces the thread at every try, and however much the
 * other tasks commit meanwhile.
 */
class InputStallsTest {
  private static final TopicPartition STUCK = new TopicPartition("gc.stage-reports", 3);
  private static final TopicPartition HEALTHY = new TopicPartition("gc.stage-reports", 4);
  private static final TaskId STUCK_TASK = new TaskId(0, 3);
  private static final TaskId HEALTHY_TASK = new TaskId(0, 4);
  private static final TimeoutException NOT_IN_METADATA =
      new TimeoutException("Topic gc.instructions.spark not present in metadata after 60000 ms.");
  private static final ProducerRecord<byte[], byte[]> INSTRUCTION =
      new ProducerRecord<>("gc.instructions.spark", new byte[1], new byte[1]);

  private final AtomicLong clock = new AtomicLong(1_000_000);
  private final InputStalls stalls = new InputStalls(clock::get);
  private final AtomicInteger reads = new AtomicInteger();

  @Test
  void aTaskRetriedInItsThreadForEverMakesTheInstanceNotReadyThenNotLiveWhileOtherTasksCommit() {
    ProductionExceptionHandler errors = handlerOf(stalls);
    long healthyCommitted = 500;
    for (int second = 0; second < 120; second++) {
      errors.handleError(context(STUCK, 121), INSTRUCTION, NOT_IN_METADATA);
      assertThat(ask(task(STUCK_TASK, STUCK, 120, 123), task(HEALTHY_TASK, HEALTHY, healthyCommitted++, 900)))
          .isEmpty();
      clock.addAndGet(1_000);
    }

    Optional<InputStall> stall = ask(task(STUCK_TASK, STUCK, 120, 123), task(HEALTHY_TASK, HEALTHY, 700, 900));

    assertThat(stall).isPresent();
    assertThat(stall.get().inputs()).containsExactly(
        "gc.stage-reports-3 (at least 4 records waiting at offset 120, not moved for 120 s)");
    assertThat(stall.get().lastCause()).hasValue(
        "TimeoutException: Topic gc.instructions.spark not present in metadata after 60000 ms.");
    assertThat(stall.get().restartDue()).isFalse();

    clock.addAndGet(InputStall.NOT_LIVE_AFTER.minus(InputStall.NOT_READY_AFTER).toMillis());
    assertThat(ask(task(STUCK_TASK, STUCK, 120, 123)).orElseThrow().restartDue()).isTrue();
  }

  @Test
  void theInstanceIsReadyAgainOnceThePartitionMoves() {
    stallFor(InputStall.NOT_READY_AFTER);

    clock.addAndGet(1_000);

    assertThat(ask(task(STUCK_TASK, STUCK, 121, 123))).isEmpty();
  }

  @Test
  void aThreadReplacedAtEveryTryIsSeenByItsFailuresThoughItsStreamsAreNeverRunningWhenAsked() {
    ProductionExceptionHandler errors = handlerOf(stalls);
    RecordTooLargeException tooLarge = new RecordTooLargeException("The message is 1049380 bytes");
    // A try every 31 s: each thread restores its tasks' stores, then fails on the same input.
    for (int tries = 1; tries <= 5; tries++) {
      errors.handleError(context(STUCK, 121), INSTRUCTION, tooLarge);
      stalls.threadFailed(new StreamsException("Error encountered sending record", tooLarge, STUCK_TASK));
      assertThat(askRebalancing().isPresent()).isEqualTo(tries == 5);
      clock.addAndGet(30_000);
    }

    assertThat(askRebalancing().orElseThrow().reason()).isEqualTo("input partitions with records waiting have not "
        + "moved: gc.stage-reports-3 (records waiting at offset 121, not moved for 124 s); the last failure: "
        + "StreamsException: Error encountered sending record, caused by RecordTooLargeException: The message is "
        + "1049380 bytes");
  }

  @Test
  void aStoreFailingOnTheSameInputAtEveryTryIsSeenToo() {
    DeadLetters.Processing processing = new DeadLetters.Processing();
    processing.configure(Map.of(InputStalls.CONFIG, stalls));
    for (int tries = 1; tries <= 3; tries++) {
      processing.handleError(context(STUCK, 121), null, new ProcessorStateException("Error while putting m-7"));
      clock.addAndGet(61_000);
    }

    assertThat(askRebalancing().orElseThrow().lastCause()).hasValue("ProcessorStateException: Error while putting m-7");
  }

  @Test
  void theCoordinatorsErrorHandlersGetTheWatchFromTheStreamsConfig(@TempDir Path stateDir) {
    Properties properties = CoordinatorConfig.defaults("localhost:9092", stateDir).streamsProperties();
    properties.put(InputStalls.CONFIG, stalls);
    StreamsConfig config = new StreamsConfig(properties);
    config.getProducerConfigs("client");
    config.getMainConsumerConfigs("group", "client", 0);

    for (int tries = 1; tries <= 3; tries++) {
      config.productionExceptionHandler().handleError(context(STUCK, 121), INSTRUCTION, NOT_IN_METADATA);
      config.processingExceptionHandler().handleError(context(STUCK, 121), null,
          new ProcessorStateException("Error while putting m-7"));
      clock.addAndGet(61_000);
    }

    assertThat(askRebalancing()).isPresent();
  }

  @Test
  void timeWithoutEvidenceSuchAsARestoreAfterARebalanceDoesNotCount() {
    assertThat(ask(task(STUCK_TASK, STUCK, 120, 123))).isEmpty();
    clock.addAndGet(Duration.ofMinutes(5).toMillis());
    assertThat(askRebalancing()).isEmpty();

    // The new task has not committed yet: it tells nothing.
    clock.addAndGet(1_000);
    assertThat(ask(task(STUCK_TASK, STUCK, -1, 130))).isEmpty();
    clock.addAndGet(1_000);
    assertThat(ask(task(STUCK_TASK, STUCK, 131, 130))).isEmpty();
  }

  @Test
  void aPartitionCaughtUpOrWithNothingFetchedIsNotStalled() {
    for (int minute = 0; minute <= 10; minute++) {
      assertThat(ask(task(STUCK_TASK, STUCK, 124, 123), task(HEALTHY_TASK, HEALTHY, -1, -1))).isEmpty();
      clock.addAndGet(60_000);
    }
  }

  @Test
  void aPartitionThatMovedToAnotherInstanceEndsItsWatchAfterAMinute() {
    stallFor(InputStall.NOT_READY_AFTER);

    clock.addAndGet(1_000);
    assertThat(ask(task(HEALTHY_TASK, HEALTHY, 10, 5))).isPresent();
    clock.addAndGet(InputStalls.GONE_AFTER_MS);

    assertThat(ask(task(HEALTHY_TASK, HEALTHY, 10, 5))).isEmpty();
  }

  @Test
  void theTasksAreReadAtMostOncePerSecond() {
    ask(task(STUCK_TASK, STUCK, 120, 123));
    clock.addAndGet(InputStalls.ANSWER_MS - 1);
    ask(task(STUCK_TASK, STUCK, 120, 123));
    assertThat(reads).hasValue(1);

    clock.addAndGet(1);
    ask(task(STUCK_TASK, STUCK, 120, 123));
    assertThat(reads).hasValue(2);
  }

  @Test
  void theTasksOfStreamsThatAreNotRunningAreNotRead(@TempDir Path stateDir) {
    CoordinatorConfig config = CoordinatorConfig.defaults("localhost:9092", stateDir);
    try (KafkaStreams streams = new KafkaStreams(CoordinatorTopology.build(config), config.streamsProperties())) {
      assertThat(InputStalls.activeTasks(streams)).isEmpty();
    }
  }

  private void stallFor(Duration duration) {
    for (long waited = 0; waited < duration.toMillis(); waited += 10_000) {
      ask(task(STUCK_TASK, STUCK, 120, 123));
      clock.addAndGet(10_000);
    }
    assertThat(ask(task(STUCK_TASK, STUCK, 120, 123))).isPresent();
  }

  private Optional<InputStall> ask(TaskMetadata... tasks) {
    return stalls.stall(() -> {
      reads.incrementAndGet();
      return Optional.<Collection<TaskMetadata>>of(List.of(tasks));
    });
  }

  private Optional<InputStall> askRebalancing() {
    clock.addAndGet(InputStalls.ANSWER_MS);
    return stalls.stall(Optional::empty);
  }

  private static ProductionExceptionHandler handlerOf(InputStalls stalls) {
    ProductionErrors errors = new ProductionErrors();
    errors.configure(Map.of(InputStalls.CONFIG, stalls));
    return errors;
  }

  /** A task's metadata: {@code end} is the offset of the last record fetched, {@code committed} the next to read. */
  private static TaskMetadata task(TaskId id, TopicPartition partition, long committed, long end) {
    return new FakeTask(id, Set.of(partition), Map.of(partition, committed), Map.of(partition, end), Optional.empty());
  }

  private record FakeTask(TaskId taskId, Set<TopicPartition> topicPartitions, Map<TopicPartition, Long> committedOffsets,
      Map<TopicPartition, Long> endOffsets, Optional<Long> timeCurrentIdlingStarted) implements TaskMetadata {}

  private static ErrorHandlerContext context(TopicPartition input, long offset) {
    return new ErrorHandlerContext() {
      @Override public String topic() { return input.topic(); }
      @Override public int partition() { return input.partition(); }
      @Override public long offset() { return offset; }
      @Override public Headers headers() { return new RecordHeaders(); }
      @Override public String processorNodeId() { return "stage-reports"; }
      @Override public TaskId taskId() { return new TaskId(0, input.partition()); }
      @Override public long timestamp() { return 0L; }
      @Override public byte[] sourceRawKey() { return new byte[0]; }
      @Override public byte[] sourceRawValue() { return new byte[0]; }
    };
  }
}
