package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** A record without a valid timestamp is read as of its partition's time, never stopping a thread. */
class InvalidTimestampsTest {
  private static final TopicPartition PLANS = new TopicPartition("groundcontrol.plans", 0);

  private static ConsumerRecord<Object, Object> record(long timestamp) {
    return new ConsumerRecord<>("groundcontrol.mission-commands", 0, 7, timestamp, TimestampType.CREATE_TIME, 1, 1,
        "m1", "value", new RecordHeaders(), Optional.empty());
  }

  private static ConsumerRecord<byte[], byte[]> plan(long offset, long timestamp) {
    return new ConsumerRecord<>(PLANS.topic(), 0, offset, timestamp, TimestampType.CREATE_TIME, 1, 1,
        new byte[] {'p'}, new byte[] {1}, new RecordHeaders(), Optional.empty());
  }

  @Test
  void aStreamThreadReadsAValidTimestampAsItIsAndAnInvalidOneAsOfTheClock() {
    InvalidTimestamps.Extractor extractor = new InvalidTimestamps.Extractor();
    long before = System.currentTimeMillis();

    assertThat(extractor.extract(record(1_000), 5_000)).isEqualTo(1_000);
    assertThat(extractor.extract(record(-1), 5_000)).isBetween(before, System.currentTimeMillis());
    assertThat(InvalidTimestamps.valid(record(-1000), 5_000, () -> 42_000)).isEqualTo(42_000);
  }

  @Test
  void anInvalidTimestampBeforeAnyOnItsPartitionIsReadAsOfTheClock() {
    assertThat(InvalidTimestamps.valid(record(-1), -1, () -> 42_000)).isEqualTo(42_000);
  }

  @Test
  void anInvalidTimestampIsReadAsOfThePartitionTimeWhenThatIsAheadOfTheClock() {
    assertThat(InvalidTimestamps.valid(record(-1), 50_000, () -> 42_000)).isEqualTo(50_000);
  }

  @Test
  void aProducerThatNeverSetsTimestampsGetsOneLineAMinutePerPartitionCountingTheRecordsBetween() {
    InvalidTimestamps.Lines lines = new InvalidTimestamps.Lines();
    TopicPartition reports = new TopicPartition("groundcontrol.stage-reports", 2);

    assertThat(lines.due(reports, 0)).hasValue(0);
    for (int record = 1; record <= 1_000; record++) {
      assertThat(lines.due(reports, record * 50L)).isEmpty();
    }
    assertThat(lines.due(PLANS, 50_000)).hasValue(0);

    assertThat(lines.due(reports, InvalidTimestamps.Lines.EVERY_MS)).hasValue(1_000);
    assertThat(lines.due(reports, InvalidTimestamps.Lines.EVERY_MS + 1)).isEmpty();
  }

  @Test
  void theGlobalConsumerGivesAnInvalidTimestampTheLaterOfItsPartitionTimeAndTheClock() {
    long[] clock = {1_000};
    InvalidTimestamps.GlobalInterceptor interceptor = new InvalidTimestamps.GlobalInterceptor(() -> clock[0]);
    Map<TopicPartition, OffsetAndMetadata> next = Map.of(PLANS, new OffsetAndMetadata(3));

    ConsumerRecords<byte[], byte[]> read = interceptor.onConsume(
        new ConsumerRecords<>(Map.of(PLANS, List.of(plan(0, 2_000), plan(1, -1), plan(2, 3_000))), next));
    clock[0] = 7_000;
    ConsumerRecords<byte[], byte[]> later = interceptor.onConsume(
        new ConsumerRecords<>(Map.of(PLANS, List.of(plan(3, -1000), plan(4, -1))), Map.of()));

    assertThat(read.records(PLANS)).extracting(ConsumerRecord::timestamp).containsExactly(2_000L, 2_000L, 3_000L);
    assertThat(read.records(PLANS)).extracting(ConsumerRecord::offset).containsExactly(0L, 1L, 2L);
    assertThat(read.nextOffsets()).isEqualTo(next);
    assertThat(later.records(PLANS)).extracting(ConsumerRecord::timestamp).containsExactly(7_000L, 7_000L);
  }

  @Test
  void theCoordinatorsGlobalConsumerAndNoOtherIsGivenTheInterceptor() {
    StreamsConfig config = new StreamsConfig(
        CoordinatorConfig.defaults("unused:9092", Path.of("unused")).streamsProperties());

    assertThat(config.getGlobalConsumerConfigs("c").get(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG))
        .isEqualTo(InvalidTimestamps.GlobalInterceptor.class.getName());
    assertThat(config.getMainConsumerConfigs("g", "c", 0)).doesNotContainKey(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG);
    assertThat(config.defaultTimestampExtractor()).isInstanceOf(InvalidTimestamps.Extractor.class);
  }

  @Test
  void theGlobalConsumerHandsOnRecordsWithValidTimestampsAsTheyCame() {
    ConsumerRecords<byte[], byte[]> polled = new ConsumerRecords<>(Map.of(PLANS, List.of(plan(0, 0), plan(1, 9))), Map.of());

    assertThat(new InvalidTimestamps.GlobalInterceptor().onConsume(polled)).isSameAs(polled);
  }
}
