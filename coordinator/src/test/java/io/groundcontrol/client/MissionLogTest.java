package io.groundcontrol.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.Cause;
import io.groundcontrol.schema.CauseKind;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionFinished;
import io.groundcontrol.schema.MissionForgotten;
import io.groundcontrol.schema.MissionStarted;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.wire.AvroSerde;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class MissionLogTest {
  private static final String TOPIC = "gc.mission-events";
  private static final int PARTITIONS = 3;
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  private static final Cause CAUSE = new Cause(CauseKind.COMMAND, new Actor(ActorKind.USER, "ann", null), null);
  private static final String ID = "m-1";
  private static final int OWN = KeyPartitions.of(ID, PARTITIONS);

  private final FakeLog fake = new FakeLog();
  private final List<String> problems = new ArrayList<>();

  @Test
  void aMissionIsReadFromThePartitionItsIdIsWrittenToAndNoOther() {
    for (int p = 0; p < PARTITIONS; p++) {
      fake.append(p, "other-" + p, event("other-" + p, 1, started(), T0), T0);
    }
    fake.append(OWN, ID, event(ID, 1, started(), T0), T0);
    fake.append(OWN, ID, event(ID, 2, new MissionFinished(), T0.plusSeconds(5)), T0.plusSeconds(5));

    try (MissionLog log = log()) {
      assertThat(log.readMission(ID, problems::add)).extracting(MissionEvent::getSequence).containsExactly(1L, 2L);
      assertThat(log.positions()).as("left assigned to every partition, for follow").hasSize(PARTITIONS);
    }
    assertThat(fake.fetched).extracting(ConsumerRecord::partition).containsOnly(OWN);
    assertThat(problems).isEmpty();
  }

  @Test
  void aTimelineIsReadFromALittleBeforeTheMissionsStartAndHoldsItsStart() {
    Instant earlier = T0.minus(Duration.ofHours(5));
    fake.append(OWN, ID, event(ID, 1, started(), earlier), earlier);
    fake.append(OWN, ID, event(ID, 2, new MissionFinished(), earlier.plusSeconds(1)), earlier.plusSeconds(1));
    fake.append(OWN, ID, event(ID, 3, forgotten(), earlier.plusSeconds(2)), earlier.plusSeconds(2));
    for (int i = 0; i < 50; i++) {
      Instant at = T0.minus(Duration.ofHours(2)).plusSeconds(i * 100L);
      fake.append(OWN, "busy-" + i, event("busy-" + i, 1, started(), at), at);
    }
    fake.append(OWN, ID, event(ID, 1, started(), T0), T0);
    fake.append(OWN, ID, event(ID, 2, new MissionFinished(), T0.plusSeconds(1)), T0.plusSeconds(1));

    List<MissionEvent> events;
    try (MissionLog log = log()) {
      events = log.readMissionSince(ID, T0, Duration.ofSeconds(10), problems::add);
    }

    assertThat(events).extracting(MissionEvent::getTimestamp).containsExactly(T0, T0.plusSeconds(1));
    assertThat(fake.fetched).extracting(ConsumerRecord::timestamp)
        .allMatch(time -> time >= T0.minus(MissionLog.START_MARGIN).toEpochMilli());
    assertThat(problems).isEmpty();
  }

  @Test
  void aStartStampedOutsideTheWindowIsFoundByReadingItsPartitionFromTheBeginning() {
    // A topic stamping records with a broker clock three hours behind the mission's.
    Instant broker = T0.minus(Duration.ofHours(3));
    fake.append(OWN, ID, event(ID, 1, started(), T0), broker);
    fake.append(OWN, "later", event("later", 1, started(), T0), T0);
    fake.append(OWN, ID, event(ID, 2, new MissionFinished(), T0.plusSeconds(1)), T0.plusSeconds(1));

    try (MissionLog log = log()) {
      assertThat(log.readMissionSince(ID, T0, Duration.ofSeconds(10), problems::add))
          .extracting(MissionEvent::getSequence).containsExactly(1L, 2L);
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void aStartThatIsNotInThePartitionIsReportedAsAProblem() {
    fake.append(OWN, ID, event(ID, 2, new MissionFinished(), T0.plusSeconds(1)), T0.plusSeconds(1));

    try (MissionLog log = log()) {
      assertThat(log.readMissionSince(ID, T0, Duration.ofSeconds(10), problems::add)).hasSize(1);
    }
    assertThat(problems).singleElement().asString()
        .startsWith("Expected the MissionStarted of mission 'm-1' at " + T0 + " in " + TOPIC + "-" + OWN);
  }

  @Test
  void aTimelineThatCannotBeReadInTimeEndsWithAnErrorSayingWhereItStood() {
    fake.append(OWN, ID, event(ID, 1, started(), T0), T0);
    fake.endsLaterThanItHolds(OWN);

    try (MissionLog log = log()) {
      assertThatThrownBy(() -> assertTimeoutPreemptively(Duration.ofSeconds(10),
          () -> log.readMissionSince(ID, T0, Duration.ofSeconds(1), problems::add)))
          .isInstanceOf(LogReadTimeoutException.class)
          .hasMessage("Expected to read the events of mission 'm-1' from " + TOPIC + "-" + OWN + " (offsets 0 to 11) "
              + "within 1 s, but reached only offset 1: the partition took in too much since the mission started");
    }
  }

  @Test
  void missionsFiredAtKnownTimesAreReadFromThoseTimesInTheirPartitionsOnly() {
    String first = idIn(OWN, "s.hourly.");
    String second = idIn((OWN + 1) % PARTITIONS, "s.daily.");
    int quiet = (OWN + 2) % PARTITIONS;
    Instant fired = T0.minus(Duration.ofHours(3));
    for (int p = 0; p < PARTITIONS; p++) {
      fake.append(p, "old-" + p, event("old-" + p, 1, started(), fired.minus(Duration.ofDays(30))), fired.minus(Duration.ofDays(30)));
    }
    fake.append(OWN, first, event(first, 1, started(), T0), T0);
    fake.append(OWN, first, event(first, 2, new MissionFinished(), T0.plusSeconds(1)), T0.plusSeconds(1));
    fake.append((OWN + 1) % PARTITIONS, second, event(second, 1, started(), fired), fired);
    String elsewhere = idIn(quiet, "s.weekly.");

    List<MissionEvent> read = new ArrayList<>();
    try (MissionLog log = log()) {
      log.scanSince(Map.of(first, T0, second, fired, elsewhere, T0), read::add, problems::add);
    }

    assertThat(read).extracting(e -> e.getMissionId() + "#" + e.getSequence())
        .containsExactlyInAnyOrder(first + "#1", first + "#2", second + "#1");
    assertThat(fake.fetched).as("nothing from before the fires, nothing from the quiet partition")
        .allMatch(r -> r.partition() != quiet && r.timestamp() >= fired.minus(MissionLog.START_MARGIN).toEpochMilli());
    assertThat(problems).isEmpty();
  }

  /** A mission id with {@code prefix} whose records go to {@code partition}. */
  private static String idIn(int partition, String prefix) {
    for (int i = 0; ; i++) {
      if (KeyPartitions.of(prefix + i, PARTITIONS) == partition) {
        return prefix + i;
      }
    }
  }

  private MissionLog log() {
    return new MissionLog(fake, TOPIC, "test:9092");
  }

  private static MissionStarted started() {
    return new MissionStarted("p", "v1", Map.of(), List.of("load"), false, 0);
  }

  private static MissionForgotten forgotten() {
    return new MissionForgotten(Duration.ofHours(1).toMillis(), MissionStatus.FINISHED);
  }

  private static MissionEvent event(String id, long sequence, Object payload, Instant at) {
    return new MissionEvent(id, sequence, at, CAUSE, payload);
  }

  /** A consumer over a fixed log: polls up to two records past each assigned partition's position, finds offsets by time. */
  private static final class FakeLog extends MockConsumer<String, byte[]> {
    final List<ConsumerRecord<String, byte[]>> fetched = new ArrayList<>();
    private final Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> log = new HashMap<>();
    private final AvroSerde<MissionEvent> serde = AvroSerde.of(MissionEvent.class);

    FakeLog() {
      super("earliest");
      List<PartitionInfo> infos = new ArrayList<>();
      Node node = new Node(0, "test", 9092);
      for (int p = PARTITIONS - 1; p >= 0; p--) {
        infos.add(new PartitionInfo(TOPIC, p, node, new Node[] {node}, new Node[] {node}));
        TopicPartition partition = new TopicPartition(TOPIC, p);
        log.put(partition, new ArrayList<>());
        updateBeginningOffsets(Map.of(partition, 0L));
        updateEndOffsets(Map.of(partition, 0L));
      }
      updatePartitions(TOPIC, infos);
    }

    void append(int partition, String key, MissionEvent event, Instant stamped) {
      TopicPartition at = new TopicPartition(TOPIC, partition);
      List<ConsumerRecord<String, byte[]>> records = log.get(at);
      byte[] value = serde.serializer().serialize(TOPIC, event);
      records.add(new ConsumerRecord<>(TOPIC, partition, records.size(), stamped.toEpochMilli(), TimestampType.CREATE_TIME,
          key.length(), value.length, key, value, new RecordHeaders(), Optional.empty()));
      updateEndOffsets(Map.of(at, (long) records.size()));
    }

    /** An end offset ten past what the partition holds: a read to it never gets there. */
    void endsLaterThanItHolds(int partition) {
      TopicPartition at = new TopicPartition(TOPIC, partition);
      updateEndOffsets(Map.of(at, log.get(at).size() + 10L));
    }

    @Override
    public synchronized ConsumerRecords<String, byte[]> poll(Duration timeout) {
      Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> out = new HashMap<>();
      for (TopicPartition partition : assignment()) {
        long from = position(partition);
        List<ConsumerRecord<String, byte[]>> next = log.get(partition).stream().skip(from).limit(2).toList();
        if (!next.isEmpty()) {
          out.put(partition, next);
          fetched.addAll(next);
          seek(partition, from + next.size());
        }
      }
      return new ConsumerRecords<>(out, Map.of());
    }

    @Override
    public synchronized Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(Map<TopicPartition, Long> times) {
      Map<TopicPartition, OffsetAndTimestamp> found = new HashMap<>();
      times.forEach((partition, time) -> found.put(partition, log.get(partition).stream()
          .filter(record -> record.timestamp() >= time).findFirst()
          .map(record -> new OffsetAndTimestamp(record.offset(), record.timestamp())).orElse(null)));
      return found;
    }

    @Override
    public synchronized Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(
        Map<TopicPartition, Long> times, Duration timeout) {
      return offsetsForTimes(times);
    }
  }
}
