package io.groundcontrol.worker.internal;

import io.groundcontrol.schema.InstructionKind;
import io.groundcontrol.schema.ReportFailed;
import io.groundcontrol.schema.ReportFinished;
import io.groundcontrol.schema.ReportHeartbeat;
import io.groundcontrol.schema.ReportStarted;
import io.groundcontrol.schema.StageError;
import io.groundcontrol.schema.StageInstruction;
import io.groundcontrol.schema.StageReport;
import io.groundcontrol.schema.wire.AvroCodec;
import io.groundcontrol.schema.wire.TopicNames;
import io.groundcontrol.worker.api.StageHandler;
import io.groundcontrol.worker.api.Worker;
import io.groundcontrol.worker.api.WorkerBuilderStep1.WorkerBuilderStep4;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * A worker on a {@link TestConsumer} and a {@link TestProducer}, with a small language for
 * instructions and reports: {@code fixture.send(run("m-1", "load").param("table", "\"t\""))}, {@code
 * fixture.awaitReport("m-1", "finished")}.
 */
final class WorkerFixture implements AutoCloseable {
  static final String COMPONENT = "bigquery";
  static final String WORKER_ID = "worker-1";
  static final Instant START = Instant.parse("2025-01-01T00:00:00Z");
  private static final AvroCodec<StageInstruction> CODEC = AvroCodec.of(StageInstruction.class);

  final TopicNames topics;
  final TopicPartition p0;
  final TopicPartition p1;
  final TestConsumer consumer = new TestConsumer();
  /** The consumer of no group that reads the CANCELs of attempts whose partition moved away. */
  final TestConsumer cancelReader = new TestConsumer();
  /** Thrown instead of opening {@link #cancelReader}, if set. */
  volatile RuntimeException cancelReaderRefused;
  volatile Map<String, Object> cancelReaderProperties;
  final TestProducer producer;
  final MutableClock clock = new MutableClock(START);
  volatile Map<String, Object> consumerProperties;
  volatile Map<String, Object> producerProperties;
  Worker worker;
  private final Map<TopicPartition, Long> nextOffset = new ConcurrentHashMap<>();

  WorkerFixture() {
    this(true, TopicNames.DEFAULT);
  }

  WorkerFixture(boolean acknowledgeReports) {
    this(acknowledgeReports, TopicNames.DEFAULT);
  }

  /**
   * @param acknowledgeReports whether the producer acknowledges each report at once
   * @param topics the topic names the worker is opened with
   */
  WorkerFixture(boolean acknowledgeReports, TopicNames topics) {
    this.topics = topics;
    this.p0 = new TopicPartition(topics.instructions(COMPONENT), 0);
    this.p1 = new TopicPartition(topics.instructions(COMPONENT), 1);
    producer = new TestProducer(acknowledgeReports);
  }

  KafkaClients.Factory clients() {
    return new KafkaClients.Factory() {
      @Override
      public Consumer<String, byte[]> consumer(Map<String, Object> properties) {
        if (!properties.containsKey("group.id")) {
          cancelReaderProperties = properties;
          if (cancelReaderRefused != null) {
            throw cancelReaderRefused;
          }
          return cancelReader;
        }
        consumerProperties = properties;
        return consumer;
      }

      @Override
      public Producer<String, StageReport> producer(Map<String, Object> properties) {
        producerProperties = properties;
        return producer;
      }
    };
  }

  WorkerBuilderImpl builder() {
    WorkerBuilderImpl builder = new WorkerBuilderImpl(clients());
    builder.component(COMPONENT).bootstrapServers("localhost:9092");
    return builder;
  }

  /** Opens a worker with two assigned partitions, after {@code options}, and waits until it has them. */
  WorkerFixture open(StageHandler handler, UnaryOperator<WorkerBuilderStep4> options) {
    consumer.schedulePollTask(() -> {
      consumer.rebalance(List.of(p0, p1));
      consumer.updateBeginningOffsets(Map.of(p0, 0L, p1, 0L));
    });
    WorkerBuilderImpl builder = builder().nanoTime(clock::nanoTime);
    builder.handler(handler).workerId(WORKER_ID).clock(clock).topicNames(topics);
    worker = options.apply(builder).open();
    Await.until("the worker has its partitions", () -> consumer.assignment().size() == 2);
    return this;
  }

  WorkerFixture open(StageHandler handler) {
    return open(handler, options -> options);
  }

  // ---- instructions

  static InstructionBuilder run(String missionId, String stage) {
    return new InstructionBuilder(InstructionKind.RUN, missionId, stage);
  }

  static InstructionBuilder cancel(String missionId, String stage) {
    return new InstructionBuilder(InstructionKind.CANCEL, missionId, stage);
  }

  static final class InstructionBuilder {
    private final StageInstruction.Builder builder;
    private final Map<String, String> params = new HashMap<>();

    private InstructionBuilder(InstructionKind kind, String missionId, String stage) {
      builder = StageInstruction.newBuilder()
          .setKind(kind)
          .setMissionId(missionId)
          .setPlanName("nightly")
          .setStage(stage)
          .setComponent(COMPONENT)
          .setAttempt(1)
          .setDispatchedAt(START)
          .setTimeoutMs(null);
    }

    InstructionBuilder attempt(int attempt) {
      builder.setAttempt(attempt);
      return this;
    }

    InstructionBuilder dispatchedAt(java.time.Instant at) {
      builder.setDispatchedAt(at);
      return this;
    }

    InstructionBuilder param(String name, String jsonText) {
      params.put(name, jsonText);
      return this;
    }

    InstructionBuilder timeoutMs(long millis) {
      builder.setTimeoutMs(millis);
      return this;
    }

    StageInstruction build() {
      return builder.setParams(params).build();
    }
  }

  /** Adds an instruction to partition 0; returns its offset. */
  long send(InstructionBuilder instruction) {
    return send(p0, instruction);
  }

  long send(TopicPartition partition, InstructionBuilder instruction) {
    StageInstruction built = instruction.build();
    return sendRaw(partition, built.getMissionId(), CODEC.encode(built));
  }

  long sendRaw(TopicPartition partition, String key, byte[] value) {
    long offset = takeOffset(partition);
    consumer.addRecord(new ConsumerRecord<>(partition.topic(), partition.partition(), offset, key, value));
    return offset;
  }

  /**
   * As an eager rebalance: takes all partitions away and gives them back, inside the worker's next
   * poll, and then delivers {@code again} at {@code offset} of p0 and on, as the consumer reading p0
   * anew from its committed offset would. Returns once that poll has returned and the loop gone round.
   */
  void rebalanceEagerlyAndRedeliver(long offset, InstructionBuilder... again) {
    List<StageInstruction> built = java.util.Arrays.stream(again).map(InstructionBuilder::build).toList();
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
    consumer.schedulePollTask(() -> {
      consumer.rebalance(List.of());
      consumer.rebalance(List.of(p0, p1));
      for (int i = 0; i < built.size(); i++) {
        consumer.addRecord(new ConsumerRecord<>(p0.topic(), p0.partition(), offset + i,
            built.get(i).getMissionId(), CODEC.encode(built.get(i))));
      }
      done.countDown();
    });
    Await.until("the partitions are taken away and given back", () -> done.getCount() == 0);
    awaitPollLoopTurn();
  }

  /** The offset for a record a test adds to the consumer itself. */
  long takeOffset(TopicPartition partition) {
    return nextOffset.merge(partition, 1L, Long::sum) - 1;
  }

  /**
   * Returns once the poll loop has gone round: it has read two records added one after the other,
   * so a whole turn of the loop began after this call.
   */
  void awaitPollLoopTurn() {
    for (int i = 0; i < 2; i++) {
      long offset = send(p1, cancel("m-nobody", "nothing"));
      Await.until("the poll loop read offset " + offset + " of " + p1, () -> consumer.position(p1) > offset);
    }
  }

  /**
   * Returns once the worker has sent every started report and heartbeat due by the clock as it is
   * now: its progress reporter has finished two looks, so a whole one began after this call.
   */
  void awaitProgressTurn() {
    WorkerRuntime runtime = (WorkerRuntime) worker;
    long turned = runtime.progressTicks() + 2;
    Await.until("the progress reporter looked for due reports", () -> runtime.progressTicks() >= turned);
  }

  // ---- reports

  List<ProducerRecord<String, StageReport>> sent() {
    return producer.history();
  }

  List<StageReport> reports() {
    return sent().stream().map(ProducerRecord::value).collect(Collectors.toList());
  }

  List<StageReport> reports(String missionId) {
    return reports().stream().filter(r -> r.getMissionId().equals(missionId)).collect(Collectors.toList());
  }

  /** The kinds of the reports for one mission, in order: "started", "heartbeat", "finished", "failed". */
  List<String> kinds(String missionId) {
    return reports(missionId).stream().map(WorkerFixture::kind).collect(Collectors.toList());
  }

  static String kind(StageReport report) {
    Object outcome = report.getOutcome();
    if (outcome instanceof ReportStarted) {
      return "started";
    } else if (outcome instanceof ReportHeartbeat) {
      return "heartbeat";
    } else if (outcome instanceof ReportFinished) {
      return "finished";
    } else if (outcome instanceof ReportFailed) {
      return "failed";
    }
    throw new AssertionError("Unexpected outcome " + outcome);
  }

  static StageError error(StageReport report) {
    return ((ReportFailed) report.getOutcome()).getError();
  }

  static Map<String, String> outputs(StageReport report) {
    return ((ReportFinished) report.getOutcome()).getOutputs();
  }

  StageReport awaitReport(String missionId, String kind) {
    Predicate<StageReport> matches = r -> r.getMissionId().equals(missionId) && kind(r).equals(kind);
    Await.until("a " + kind + " report for " + missionId, () -> reports().stream().anyMatch(matches));
    return reports().stream().filter(matches).findFirst().orElseThrow();
  }

  /** Acknowledges every report sent so far, for a fixture made with {@code acknowledgeReports=false}. */
  void acknowledgeReports() {
    while (producer.completeNext()) {
      // next
    }
  }

  // ---- offsets

  Long committed(TopicPartition partition) {
    return consumer.committedOffsets.get(partition);
  }

  void awaitCommitted(TopicPartition partition, long offset) {
    Await.until(partition + " committed at " + offset, () -> {
      Long committed = committed(partition);
      return committed != null && committed == offset;
    });
  }

  @Override
  public void close() {
    if (worker != null) {
      worker.close();
    }
  }

  static Duration seconds(long seconds) {
    return Duration.ofSeconds(seconds);
  }
}
