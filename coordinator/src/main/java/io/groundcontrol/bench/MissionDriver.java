package io.groundcontrol.bench;

import io.groundcontrol.client.KafkaConnection;
import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.MissionCommand;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.StageFinished;
import io.groundcontrol.schema.StartMission;
import io.groundcontrol.schema.wire.AvroCodec;
import io.groundcontrol.schema.wire.AvroSerde;
import io.groundcontrol.schema.wire.TopicNames;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Starts missions and watches the mission-events log, as a user of Groundcontrol would: commands
 * go to the commands topic, and what happened is read back, committed, from the event log.
 *
 * <p>In a closed loop it keeps a fixed number of missions in flight, starting a new one as soon as
 * the log says one ended. It counts every {@code StageFinished} in the log; that count over a
 * window is the throughput the benchmark reports. One reader thread does all of this.
 */
final class MissionDriver implements AutoCloseable {
  private static final AvroCodec<MissionEvent> EVENTS = AvroCodec.of(MissionEvent.class);
  private static final long MAX_MILLIS = 600_000;

  private final KafkaProducer<String, MissionCommand> commands;
  private final KafkaConsumer<String, byte[]> reader;
  private final TopicNames topics;
  private final String idPrefix;
  private final Actor actor = new Actor(ActorKind.USER, "bench", null);
  private final Thread readerThread;
  /** Report record produced to its StageFinished readable in the log, in whole milliseconds. */
  private final Recorder logged = new Recorder(MAX_MILLIS, 3);
  private final AtomicLong nextId = new AtomicLong();
  private final EventCounts counts = new EventCounts(actor);
  private final AtomicLong started = new AtomicLong();
  private final AtomicReference<Exception> sendFailure = new AtomicReference<>();
  private final LoopMissions loop = new LoopMissions(this::newId);
  private volatile boolean closed;

  MissionDriver(KafkaConnection kafka, TopicNames topics, String idPrefix) {
    this.topics = topics;
    this.idPrefix = idPrefix;
    this.commands = new KafkaProducer<>(
        kafka.clientConfig(Map.of(
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
            ProducerConfig.LINGER_MS_CONFIG, 0,
            ProducerConfig.CLIENT_ID_CONFIG, idPrefix + "-commands")),
        new StringSerializer(),
        AvroSerde.of(MissionCommand.class).serializer());
    this.reader = new KafkaConsumer<>(
        kafka.clientConfig(Map.of(
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
            ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000,
            ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100,
            ConsumerConfig.CLIENT_ID_CONFIG, idPrefix + "-events")),
        new StringDeserializer(),
        new ByteArrayDeserializer());
    List<TopicPartition> partitions = reader.partitionsFor(topics.missionEvents(), Duration.ofSeconds(30)).stream()
        .map(info -> new TopicPartition(info.topic(), info.partition()))
        .toList();
    reader.assign(partitions);
    reader.seekToBeginning(partitions);
    this.readerThread = new Thread(this::read, idPrefix + "-event-reader");
    this.readerThread.setDaemon(true);
    this.readerThread.start();
  }

  /**
   * Starts {@code inFlight} missions of {@code plan} and replaces each one that ends, until {@link #stopLoop}.
   *
   * @return the id of the first one
   */
  String closedLoop(String plan, int inFlight) {
    List<LoopMissions.Start> starts = loop.run(plan, inFlight, System.nanoTime());
    starts.forEach(start -> start(start.missionId(), start.plan()));
    return starts.get(0).missionId();
  }

  /** No more replacements; missions in flight run on. */
  void stopLoop() {
    loop.stop();
  }

  /**
   * After {@link #stopLoop}: waits up to {@code limit} for the loop's missions in flight to end.
   *
   * @return how many did not end: lost or stuck, since an end of any kind, a refused start
   *     included, is in the log
   */
  int awaitLoopEnded(Duration limit) throws InterruptedException {
    return loop.awaitEnded(limit);
  }

  /** Since the last call: how long the loop's missions that ended took, from start command to end read, in milliseconds. */
  Histogram loopMissionMillis() {
    return loop.durations();
  }

  /**
   * Starts {@code count} missions of {@code plan} at once, without replacing them when they end.
   *
   * @return the id of the first one
   */
  String startMany(String plan, int count) {
    String first = null;
    for (int i = 0; i < count; i++) {
      String id = newId();
      first = first == null ? id : first;
      start(id, plan);
    }
    commands.flush();
    return first;
  }

  /**
   * Since the last call: from a finished report's record timestamp to its {@code StageFinished}
   * being readable (committed) in the log, in milliseconds. The coordinator's share of a hand-off:
   * the event is committed in the same transaction as the next stage's instruction.
   */
  Histogram reportToLog() {
    return logged.getIntervalHistogram();
  }

  long stagesFinished() {
    return counts.stagesFinished();
  }

  /** {@code MissionStarted} events read from the log. */
  long missionsStartedSeen() {
    return counts.missionsStarted();
  }

  /** Missions that ended, however they ended, or whose start was rejected. */
  long missionsEnded() {
    return counts.missionsEnded();
  }

  /** Starts one mission of {@code plan} with {@code params} (values JSON text); returns its id. */
  String startWith(String plan, Map<String, String> params) {
    String id = newId();
    start(id, plan, params);
    commands.flush();
    return id;
  }

  /** Missions that ended FAILED or CANCELLED; a no-op benchmark expects none. */
  long missionsFailed() {
    return counts.missionsFailed();
  }

  /** Inputs the coordinator rejected, refused starts included (each once); a benchmark expects none. */
  long rejections() {
    return counts.rejections();
  }

  long started() {
    return started.get();
  }

  /** Throws if a command could not be sent, which would make every number of the run wrong. */
  void checkHealthy() {
    Exception failure = sendFailure.get();
    if (failure != null) {
      throw new IllegalStateException("Could not send a mission command: " + failure, failure);
    }
  }

  private String newId() {
    return idPrefix + "-" + nextId.incrementAndGet();
  }

  private void start(String missionId, String plan) {
    start(missionId, plan, Map.of());
  }

  private void start(String missionId, String plan, Map<String, String> params) {
    MissionCommand command = MissionCommand.newBuilder()
        .setMissionId(missionId)
        .setIssuedBy(actor)
        .setIssuedAt(Instant.now())
        .setCommand(StartMission.newBuilder().setPlanName(plan).setParams(params).build())
        .build();
    started.incrementAndGet();
    commands.send(new ProducerRecord<>(topics.missionCommands(), missionId, command), (metadata, e) -> {
      if (e != null) {
        sendFailure.compareAndSet(null, e);
      }
    });
  }

  private void read() {
    try {
      while (!closed) {
        for (ConsumerRecord<String, byte[]> record : reader.poll(Duration.ofMillis(50))) {
          observe(EVENTS.decode(record.value()));
        }
      }
    } catch (org.apache.kafka.common.errors.WakeupException e) {
      // closing
    } finally {
      reader.close(Duration.ofSeconds(5));
    }
  }

  private void observe(MissionEvent event) {
    if (event.getEvent() instanceof StageFinished) {
      logged.recordValue(Math.min(MAX_MILLIS, Math.max(0, System.currentTimeMillis() - event.getTimestamp().toEpochMilli())));
      loop.movedOn(event.getMissionId());
    }
    if (!counts.count(event)) {
      return;
    }
    HandoffTrace trace = HandoffTrace.active();
    if (trace != null) {
      trace.ended(event.getMissionId());
    }
    LoopMissions.Start replacement = loop.ended(event.getMissionId(), System.nanoTime());
    if (replacement != null) {
      start(replacement.missionId(), replacement.plan());
    }
  }

  @Override
  public void close() {
    stopLoop();
    closed = true;
    reader.wakeup();
    try {
      readerThread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    commands.close(Duration.ofSeconds(5));
  }
}
