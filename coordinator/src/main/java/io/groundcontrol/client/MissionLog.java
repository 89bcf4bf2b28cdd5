package io.groundcontrol.client;

import io.groundcontrol.mission.EventAppliers;
import io.groundcontrol.mission.Mission;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionStarted;
import io.groundcontrol.schema.wire.AvroSerde;
import io.groundcontrol.schema.wire.TopicNames;
import io.groundcontrol.schema.wire.WireFormatException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the mission-events log and rebuilds missions from it with the coordinator's own
 * {@link EventAppliers}. Works with no coordinator running: the log is the source of truth.
 */
public final class MissionLog implements AutoCloseable {
  /**
   * How far before a mission's start {@link #readMissionSince} begins. A record's time is the time
   * of the input that caused its events, which is also the mission's start time for its {@code
   * MissionStarted}; the margin covers a topic set to stamp records with the broker's clock instead
   * ({@code message.timestamp.type=LogAppendTime}), which may be off from the senders' clocks.
   */
  static final Duration START_MARGIN = Duration.ofHours(1);
  private static final Duration POLL = Duration.ofMillis(200);

  private final org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer;
  private final AvroSerde<MissionEvent> serde = AvroSerde.of(MissionEvent.class);
  private final List<TopicPartition> partitions = new ArrayList<>();

  /** A reader of the log named by {@code topics}. */
  public MissionLog(KafkaConnection kafka, TopicNames topics) {
    this(kafka, topics, TopicPartitions.LOOKUP_TIMEOUT);
  }

  /**
   * A reader of the log named by {@code topics} that waits at most {@code lookup} for its partitions.
   *
   * @throws org.apache.kafka.common.errors.TimeoutException if Kafka did not tell them in time
   */
  public MissionLog(KafkaConnection kafka, TopicNames topics, Duration lookup) {
    this(new KafkaConsumer<>(KafkaClients.reader(kafka), new StringDeserializer(), new ByteArrayDeserializer()),
        topics.missionEvents(), kafka.bootstrapServers(), lookup);
  }

  /** A reader of {@code topic} through {@code consumer}, which it closes; {@code servers} name the cluster in errors. */
  MissionLog(org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer, String topic, String servers) {
    this(consumer, topic, servers, TopicPartitions.LOOKUP_TIMEOUT);
  }

  private MissionLog(org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer, String topic, String servers,
      Duration lookup) {
    this.consumer = consumer;
    partitions.addAll(TopicPartitions.setUpOrClose(consumer, () -> {
      List<TopicPartition> found = TopicPartitions.of(consumer, topic, lookup);
      if (found.isEmpty()) {
        throw new MissingTopicException("Expected topic " + topic + " to exist, but it does not: "
            + "has a coordinator ever run against " + servers + "?");
      }
      consumer.assign(found);
      return found;
    }));
  }

  /** Every event now in the log, per mission in log order; undecodable records go to {@code problems}. */
  public Map<String, List<MissionEvent>> readAll(Consumer<String> problems) {
    Map<String, List<MissionEvent>> byMission = new LinkedHashMap<>();
    consumer.seekToBeginning(partitions);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
    while (!reached(end)) {
      for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
        MissionEvent event = decode(record, problems);
        if (event != null) {
          byMission.computeIfAbsent(event.getMissionId(), k -> new ArrayList<>()).add(event);
        }
      }
    }
    return byMission;
  }

  /**
   * Every event now in the log whose record key passes {@code keys}, per mission in log order, as
   * {@link #scan} reads them: the events of a few missions without holding the whole log.
   */
  public Map<String, List<MissionEvent>> readAll(Predicate<String> keys, Consumer<String> problems) {
    Map<String, List<MissionEvent>> byMission = new LinkedHashMap<>();
    scan(keys, event -> byMission.computeIfAbsent(event.getMissionId(), k -> new ArrayList<>()).add(event), problems);
    return byMission;
  }

  /**
   * Calls {@code sink} with every event now in the log whose record key passes {@code keys}, in log
   * order per partition; records of other keys are skipped before decoding. Undecodable and empty
   * records go to {@code problems} with their topic, partition and offset, and reading goes on.
   */
  public void scan(Predicate<String> keys, Consumer<MissionEvent> sink, Consumer<String> problems) {
    consumer.seekToBeginning(partitions);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
    while (!reached(end)) {
      for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
        accept(record, keys, sink, problems);
      }
    }
  }

  /**
   * The events of one mission id now in the log, in log order (its sequence order, as the
   * coordinator writes a mission's events to one partition), including rejections of inputs that
   * named it before it existed (sequence 0) and every earlier mission under the id. Reads only the
   * partition the coordinator writes the id to ({@link #partitionOf}), from its beginning, for as
   * long as that takes.
   */
  public List<MissionEvent> readMission(String missionId, Consumer<String> problems) {
    return readKey(missionId, partitionOf(missionId), null, ReadDeadline.NONE, problems);
  }

  /**
   * The events of the mission now under {@code missionId}, which started at {@code startedAt} (the
   * time of its {@code MissionStarted}, as its stored state has it), up to the end of the log now:
   * read from the id's partition ({@link #partitionOf}) from the first record stamped {@link
   * #START_MARGIN} before that start, so the cost is what the partition took in since the mission
   * started, not the whole log. The tail of an earlier mission under the id may come first (see
   * {@code MissionLives.latest}). Should that start not be there (record times far off), the
   * partition is read from its beginning, within the same limit.
   *
   * @throws LogReadTimeoutException if the read is not over within {@code limit}
   */
  public List<MissionEvent> readMissionSince(String missionId, Instant startedAt, Duration limit, Consumer<String> problems) {
    ReadDeadline deadline = ReadDeadline.in(limit);
    TopicPartition partition = partitionOf(missionId);
    Long from = offsetAt(partition, startedAt.minus(START_MARGIN), deadline);
    List<String> windowProblems = new ArrayList<>();
    List<MissionEvent> events = readKey(missionId, partition, from, deadline, windowProblems::add);
    if (from != null && events.stream().noneMatch(event -> startsAt(event, startedAt))) {
      events = readKey(missionId, partition, null, deadline, problems);
    } else {
      windowProblems.forEach(problems);
    }
    if (events.stream().noneMatch(event -> startsAt(event, startedAt))) {
      problems.accept("Expected the MissionStarted of mission '" + missionId + "' at " + startedAt + " in " + partition
          + ", the partition its id is written to, but it is not there: deleted by the topic's retention, or the "
          + "topic's partition count was changed since");
    }
    return events;
  }

  /**
   * Calls {@code sink} with the events of the mission ids in {@code since}, in log order per
   * partition, for missions that began no earlier than the time given for their id (a scheduled
   * mission and its fire): each partition of those ids is read once, from the first record stamped
   * {@link #START_MARGIN} before the earliest of their times to its end now; a partition with no
   * record stamped since then holds none of their events and is not read.
   */
  public void scanSince(Map<String, Instant> since, Consumer<MissionEvent> sink, Consumer<String> problems) {
    Map<TopicPartition, Instant> earliest = new LinkedHashMap<>();
    since.forEach((id, time) -> earliest.merge(partitionOf(id), time, (a, b) -> a.isBefore(b) ? a : b));
    earliest.forEach((partition, time) -> {
      Long from = offsetAt(partition, time.minus(START_MARGIN), ReadDeadline.NONE);
      if (from != null) {
        readPartition(partition, from, since::containsKey, sink, ReadDeadline.NONE, since.size() + " missions", problems);
      }
    });
  }

  /** The partition of this log the coordinator writes {@code key}'s records to: its sink sets no partitioner. */
  public TopicPartition partitionOf(String key) {
    return partitions.get(KeyPartitions.of(key, partitions.size()));
  }

  /** Where this reader stands in every partition: where a further {@link #follow} continues from. */
  public Map<TopicPartition, Long> positions() {
    Map<TopicPartition, Long> positions = new LinkedHashMap<>();
    for (TopicPartition partition : partitions) {
      positions.put(partition, consumer.position(partition));
    }
    return positions;
  }

  /** The current end of every partition of the log: where to {@link #follow} from after sending a command. */
  public Map<TopicPartition, Long> endOffsets() {
    return consumer.endOffsets(partitions);
  }

  /** As {@link #endOffsets()}, waiting at most {@code timeout} for Kafka. */
  public Map<TopicPartition, Long> endOffsets(Duration timeout) {
    return consumer.endOffsets(partitions, timeout);
  }

  /**
   * Calls {@code listener} with every event from {@code from} on, until it returns false or
   * {@code timeout} passes.
   *
   * @return true if the listener asked to stop, false on timeout
   */
  public boolean follow(
      Map<TopicPartition, Long> from, Predicate<MissionEvent> listener, Consumer<String> problems, Duration timeout) {
    from.forEach(consumer::seek);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
        MissionEvent event = decode(record, problems);
        if (event != null && !listener.test(event)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Missions rebuilt by folding their events; a mission whose history is broken goes to {@code problems}. */
  public static Map<String, Mission> rebuild(Map<String, List<MissionEvent>> byMission, Consumer<String> problems) {
    EventAppliers appliers = new EventAppliers();
    Map<String, Mission> missions = new LinkedHashMap<>();
    byMission.forEach((id, events) -> {
      try {
        Mission mission = appliers.replay(events);
        if (mission != null) {
          missions.put(id, mission);
        }
      } catch (IllegalStateException e) {
        problems.accept("mission '" + id + "': " + e.getMessage());
      }
    });
    return missions;
  }

  /** The events of {@code key} in {@code partition} from offset {@code from} (its beginning if null) to its end now. */
  private List<MissionEvent> readKey(
      String key, TopicPartition partition, Long from, ReadDeadline deadline, Consumer<String> problems) {
    List<MissionEvent> events = new ArrayList<>();
    readPartition(partition, from, key::equals, event -> {
      if (event.getMissionId().equals(key)) {
        events.add(event);
      }
    }, deadline, "mission '" + key + "'", problems);
    return events;
  }

  /**
   * Calls {@code sink} with the events whose key passes {@code keys} in {@code partition}, from
   * offset {@code from} (its beginning if null) to its end now; the other partitions are left
   * assigned as before. {@code missions} names what is read, in errors.
   */
  private void readPartition(TopicPartition partition, Long from, Predicate<String> keys, Consumer<MissionEvent> sink,
      ReadDeadline deadline, String missions, Consumer<String> problems) {
    List<TopicPartition> one = List.of(partition);
    consumer.assign(one);
    try {
      if (from == null) {
        consumer.seekToBeginning(one);
      } else {
        consumer.seek(partition, from);
      }
      long end = consumer.endOffsets(one, deadline.remaining()).get(partition);
      long start = consumer.position(partition, deadline.remaining());
      long at = start;
      while (at < end) {
        if (deadline.passed()) {
          throw new LogReadTimeoutException("Expected to read the events of " + missions + " from " + partition
              + " (offsets " + start + " to " + end + ") within " + deadline.limit().toSeconds() + " s, but reached only "
              + "offset " + at + ": the partition took in too much since the mission started");
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(deadline.remaining(POLL))) {
          accept(record, keys, sink, problems);
        }
        at = consumer.position(partition, deadline.remaining());
      }
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      throw new LogReadTimeoutException("Expected Kafka to answer for " + partition + " while reading the events of "
          + missions + ", but it did not in time: " + e.getMessage());
    } finally {
      consumer.assign(partitions);
    }
  }

  /** The first offset of {@code partition} stamped at or after {@code time}; null if none is. */
  private Long offsetAt(TopicPartition partition, Instant time, ReadDeadline deadline) {
    try {
      OffsetAndTimestamp found = consumer.offsetsForTimes(Map.of(partition, Math.max(0, time.toEpochMilli())),
          deadline.remaining()).get(partition);
      return found == null ? null : found.offset();
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      throw new LogReadTimeoutException("Expected Kafka to tell the offset of " + time + " in " + partition
          + ", but it did not in time: " + e.getMessage());
    }
  }

  private static boolean startsAt(MissionEvent event, Instant startedAt) {
    return event.getSequence() == 1 && event.getEvent() instanceof MissionStarted
        && event.getTimestamp().equals(startedAt);
  }

  /** Passes a record of a wanted key to {@code sink}, decoded; an empty or undecodable one goes to {@code problems}. */
  private void accept(ConsumerRecord<String, byte[]> record, Predicate<String> keys, Consumer<MissionEvent> sink,
      Consumer<String> problems) {
    if (!keys.test(record.key())) {
      return;
    }
    if (record.value() == null) {
      problems.accept(record.topic() + "-" + record.partition() + " offset " + record.offset()
          + ": empty value (a tombstone) where a MissionEvent was expected");
      return;
    }
    MissionEvent event = decode(record, problems);
    if (event != null) {
      sink.accept(event);
    }
  }

  private MissionEvent decode(ConsumerRecord<String, byte[]> record, Consumer<String> problems) {
    try {
      return serde.deserializer().deserialize(record.topic(), record.value());
    } catch (WireFormatException e) {
      problems.accept(record.topic() + "-" + record.partition() + " offset " + record.offset() + ": " + e.getMessage());
      return null;
    }
  }

  private boolean reached(Map<TopicPartition, Long> end) {
    for (TopicPartition partition : partitions) {
      if (consumer.position(partition) < end.get(partition)) {
        return false;
      }
    }
    return true;
  }

  /** The partitions read, for tests and diagnostics. */
  public Collection<TopicPartition> partitions() {
    return List.copyOf(partitions);
  }

  @Override
  public void close() {
    consumer.close();
  }
}
