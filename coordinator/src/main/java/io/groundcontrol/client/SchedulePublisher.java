package io.groundcontrol.client;

import io.groundcontrol.coordinator.TopicSetup;
import io.groundcontrol.schedule.ScheduleFile;
import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.Schedule;
import io.groundcontrol.schema.ScheduleCommand;
import io.groundcontrol.schema.ScheduleEvent;
import io.groundcontrol.schema.Trigger;
import io.groundcontrol.schema.wire.AvroSerde;
import io.groundcontrol.schema.wire.TopicNames;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Makes the cluster's schedules and triggers equal a schedules file, and sends operators'
 * schedule commands. The file is the source of truth: entries it no longer holds get tombstones on
 * the compacted topics, which stops them.
 */
public final class SchedulePublisher implements AutoCloseable {
  /** What an apply changed. */
  public record Applied(List<String> written, List<String> unchanged, List<String> removed) {}

  private final KafkaConnection kafka;
  private final TopicNames topics;
  private final Admin admin;
  private final Producer<String, byte[]> producer;
  private final int partitions;
  private final WriteWait wait;

  /**
   * A publisher to the installation named by {@code topics}; {@code partitions} for topics it
   * creates if the installation has none yet, else the count its mission-commands topic has. Its
   * writes wait as a tool's do ({@link WriteWait#TOOLS}).
   */
  public SchedulePublisher(KafkaConnection kafka, TopicNames topics, int partitions) {
    this(kafka, topics, partitions, WriteWait.TOOLS);
  }

  /** As {@link #SchedulePublisher(KafkaConnection, TopicNames, int)}, each write waiting at most {@code wait} for Kafka. */
  public SchedulePublisher(KafkaConnection kafka, TopicNames topics, int partitions, WriteWait wait) {
    this(kafka, topics, partitions, wait, wait.admin(kafka),
        new KafkaProducer<>(wait.producer(kafka), new StringSerializer(), new ByteArraySerializer()));
  }

  /** A publisher through the given clients: how tests stand in for a cluster that does not answer. */
  SchedulePublisher(KafkaConnection kafka, TopicNames topics, int partitions, WriteWait wait, Admin admin,
      Producer<String, byte[]> producer) {
    this.kafka = kafka;
    this.topics = topics;
    this.partitions = partitions;
    this.wait = wait;
    this.admin = admin;
    this.producer = producer;
  }

  /**
   * Applies the file: writes what is new or changed, tombstones what it no longer holds. Every
   * record is serialised before the first is sent, so one that cannot be does not leave the apply
   * half done.
   */
  public Applied apply(ScheduleFile file) {
    return applyIf(file, null).orElseThrow();
  }

  /**
   * As {@link #apply(ScheduleFile)}, if {@code acceptsPlans} accepts the latest version of every
   * applied plan, by name, read within the same wait as the apply: a file whose starts those plans
   * would reject is not applied.
   *
   * @param acceptsPlans null: no plans read, none checked
   * @return what the apply changed; empty if the plans did not accept it, and nothing was written
   */
  public Optional<Applied> applyIf(ScheduleFile file, Predicate<Map<String, Plan>> acceptsPlans) {
    WriteWait.Write write = wait.begin("schedules file's changes", "Some may still be written: applying the same "
        + "file again is safe (it writes what still differs from the file)");
    if (acceptsPlans != null && !acceptsPlans.test(write.step(() -> appliedPlans(write.remaining())))) {
      return Optional.empty();
    }
    write.step(() -> TopicSetup.forInstallation(admin, topics, partitions, write.remaining())
        .ensureCoreTopics(admin, topics, write.remaining()));
    Changes schedules = write.step(() -> changes(topics.schedules(), "schedule ", file.schedules().stream()
        .collect(Collectors.toMap(Schedule::getName, s -> s)), AvroSerde.of(Schedule.class), write.remaining()));
    Changes triggers = write.step(() -> changes(topics.triggers(), "trigger ", file.triggers().stream()
        .collect(Collectors.toMap(Trigger::getName, t -> t)), AvroSerde.of(Trigger.class), write.remaining()));
    List<Future<?>> sends = new ArrayList<>();
    for (Changes changes : List.of(schedules, triggers)) {
      changes.records().forEach((key, value) -> sends.add(producer.send(new ProducerRecord<>(changes.topic(), key, value))));
    }
    sends.forEach(write::await);
    Applied a = schedules.applied();
    Applied b = triggers.applied();
    return Optional.of(new Applied(concat(a.written(), b.written()), concat(a.unchanged(), b.unchanged()),
        concat(a.removed(), b.removed())));
  }

  /** The latest version of every applied plan, by name: the plans topic keeps it under the plan's name. */
  private Map<String, Plan> appliedPlans(Duration within) {
    Map<String, Plan> plans = new LinkedHashMap<>();
    CompactedTopic.read(kafka, topics.plans(), AvroSerde.of(Plan.class).deserializer(), within).forEach((key, plan) -> {
      if (key.equals(plan.getName())) {
        plans.put(key, plan);
      }
    });
    return plans;
  }

  /** The records that make one topic equal the file, in send order (a null value is a tombstone), and what they do. */
  private record Changes(String topic, Map<String, byte[]> records, Applied applied) {}

  private <V extends SpecificRecord> Changes changes(String topic, String kind, Map<String, V> wanted,
      AvroSerde<V> serde, Duration within) {
    Map<String, V> current = CompactedTopic.read(kafka, topic, serde.deserializer(), within);
    List<String> written = new ArrayList<>();
    List<String> unchanged = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    Map<String, byte[]> records = new LinkedHashMap<>();
    wanted.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
      if (entry.getValue().equals(current.get(entry.getKey()))) {
        unchanged.add(kind + entry.getKey());
      } else {
        records.put(entry.getKey(), serde.serializer().serialize(topic, entry.getValue()));
        written.add(kind + entry.getKey());
      }
    });
    current.keySet().stream().filter(name -> !wanted.containsKey(name)).sorted().forEach(name -> {
      records.put(name, null);
      removed.add(kind + name);
    });
    return new Changes(topic, records, new Applied(written, unchanged, removed));
  }

  /**
   * Sends a pause, resume or fire-now to a schedule and returns when it was issued: the record's
   * timestamp, which names a fire-now's mission. The answer is in the schedule-events log.
   */
  public java.time.Instant command(String schedule, Actor actor, Object command) {
    return command(schedule, actor, command, Clock.systemUTC().instant());
  }

  /**
   * Sends a pause, resume or fire-now issued at {@code issuedAt}, the record's timestamp: the
   * schedule's answer carries it, and a fire-now's mission id is derived from it.
   *
   * @throws WriteNotTakenException if Kafka did not take it within the wait, saying whether sending
   *     it again is safe (not for a fire-now, which would start another mission)
   */
  public java.time.Instant command(String schedule, Actor actor, Object command, java.time.Instant issuedAt) {
    return command(begin(schedule, command, issuedAt), schedule, actor, command, issuedAt);
  }

  /**
   * Begins the write of a pause, resume or fire-now to be issued at {@code issuedAt}: the reads a
   * sender needs first (where the schedule-events log ends, to find the answer) run as its steps,
   * so that the whole exchange waits for Kafka at most once the wait.
   */
  public WriteWait.Write begin(String schedule, Object command, java.time.Instant issuedAt) {
    return wait.begin(ScheduleCommandOutcome.what(schedule, command),
        ScheduleCommandOutcome.afterwards(schedule, command, issuedAt));
  }

  /**
   * As {@link #command(String, Actor, Object, java.time.Instant)}, within {@code write}'s wait,
   * begun with {@link #begin} for the same schedule, command and time.
   */
  public java.time.Instant command(WriteWait.Write write, String schedule, Actor actor, Object command,
      java.time.Instant issuedAt) {
    ScheduleCommand record = new ScheduleCommand(schedule, actor, issuedAt, command);
    write.await(producer.send(new ProducerRecord<>(topics.scheduleCommands(), null, issuedAt.toEpochMilli(), schedule,
        AvroSerde.of(ScheduleCommand.class).serializer().serialize(topics.scheduleCommands(), record))));
    return issuedAt;
  }

  /**
   * Whether {@code event} is the scheduler's answer to a command {@code issuer} sent to
   * {@code schedule} at {@code issuedAt}: the scheduler decides a command at its record's timestamp
   * (whole milliseconds) and names its issuer, so a fire, a file's change or another operator's
   * command of the same schedule is not taken for it.
   */
  public static boolean isAnswer(ScheduleEvent event, String schedule, Actor issuer, java.time.Instant issuedAt) {
    return event.getSchedule().equals(schedule)
        && CommandIssuers.answers(event.getIssuedBy(), event.getTimestamp(), issuer, issuedAt);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  @Override
  public void close() {
    producer.close();
    admin.close();
  }
}
