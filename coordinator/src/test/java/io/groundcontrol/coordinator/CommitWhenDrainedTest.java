package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groundcontrol.schema.AdmissionRequest;
import io.groundcontrol.schema.InstructionKind;
import io.groundcontrol.schema.StageInstruction;
import io.groundcontrol.schema.RequestSlot;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

/**
 * The commit request when the input is drained, on the Kafka Streams version the build pins: if
 * an upgrade moves the internals it reads, {@code active()} turns false here, not silently in production.
 */
class CommitWhenDrainedTest {
  private static final String IN = "in";
  private static final Duration TICK = Duration.ofMillis(100);

  /** What the processor saw for each input: whether a commit was requested after its output. */
  private final List<Boolean> requested = new ArrayList<>();
  private final List<Boolean> active = new ArrayList<>();
  /** Whether a wake was scheduled after each input. */
  private final List<Boolean> wakes = new ArrayList<>();
  private Probe probe;

  @Test
  void requestsACommitWhenNothingIsBufferedOrAwaited() {
    try (TopologyTestDriver driver = driver(enabled(), false)) {
      input(driver).pipeInput("m-1", "run a");
      input(driver).pipeInput("m-1", "report a, run b");
    }
    assertThat(active).containsOnly(true);
    assertThat(requested).containsExactly(true, true);
  }

  @Test
  void waitsForEveryReportOnTheInstructionsTheLastCommitReleased() {
    try (TopologyTestDriver driver = driver(enabled(), false)) {
      input(driver).pipeInput("m-1", "run a, run b");
      input(driver).pipeInput("m-1", "report b, run c");
      input(driver).pipeInput("m-1", "report c, run d");
    }
    // The test driver commits after every input: at the second a is awaited; at the third only c,
    // which the second released, and no longer a.
    assertThat(requested).containsExactly(true, false, true);
  }

  @Test
  void aTransactionHeldBackForReportsIsWokenWhenTheyStopBeingAwaited() {
    try (TopologyTestDriver driver = driver(enabled(), false)) {
      input(driver).pipeInput("m-1", "run a, run b");
      input(driver).pipeInput("m-1", "report b, run c");
      driver.advanceWallClockTime(Duration.ofMillis(CommitWhenDrained.AWAIT_REPORTS_MS - 1));
      assertThat(probe.commits.wakeScheduled()).as("not yet due").isTrue();
      driver.advanceWallClockTime(Duration.ofMillis(1));
      assertThat(probe.commits.wakeScheduled()).as("fired, once").isFalse();
    }
    // a is still awaited at the second input: no commit yet, a wake instead.
    assertThat(requested).containsExactly(true, false);
    assertThat(wakes).containsExactly(false, true);
  }

  @Test
  void theNextCommitCancelsTheWake() {
    try (TopologyTestDriver driver = driver(enabled(), false)) {
      input(driver).pipeInput("m-1", "run a, run b");
      input(driver).pipeInput("m-1", "report b, run c");
      // The test driver committed after the second input; the third sees that commit.
      input(driver).pipeInput("m-1", "report a");
    }
    assertThat(wakes).containsExactly(false, true, false);
  }

  @Test
  void leavesTheCommitToTheIntervalWhileInputIsBuffered() {
    try (TopologyTestDriver driver = driver(enabled(), true)) {
      input(driver).pipeInput("m-1", "run a");
    }
    // The first input sees the record it buffered behind itself; that one, processed next, answers
    // the first's instruction and sees nothing buffered.
    assertThat(requested).containsExactly(false, true);
  }

  @Test
  void anAnsweringProcessorCommitsOnceItReadEveryAskTheLastCommitWrote() {
    try (TopologyTestDriver driver = driver(enabled(), false)) {
      input(driver).pipeInput("m-1", "ask a, ask b");
      input(driver).pipeInput("m-1", "read a, read b");
    }
    assertThat(requested).containsExactly(true, false, true);
    assertThat(probe.read).containsExactly("a", "b");
  }

  @Test
  void theReportOnAnInstructionAnAnsweringProcessorWroteIsAwaited() {
    try (TopologyTestDriver driver = driver(enabled(), false)) {
      input(driver).pipeInput("m-1", "ask a");
      input(driver).pipeInput("m-1", "read a");
      input(driver).pipeInput("m-1", "ask b");
    }
    assertThat(requested).containsExactly(true, true, false);
  }

  @Test
  void anAskIsCommittedOnceTheReportOnTheAnswersInstructionIsIn() {
    try (TopologyTestDriver driver = driver(enabled(), false)) {
      input(driver).pipeInput("m-1", "ask a");
      input(driver).pipeInput("m-1", "read a");
      input(driver).pipeInput("m-1", "report a, ask b");
    }
    assertThat(requested).containsExactly(true, true, true);
  }

  @Test
  void anAnsweringProcessorsTickNotesTheCommitBeforeItRuns() {
    try (TopologyTestDriver driver = driver(enabled(), false)) {
      input(driver).pipeInput("m-1", "ask a");
      assertThat(probe.commits.awaited()).isZero();
      driver.advanceWallClockTime(TICK);
      assertThat(probe.ticks).isEqualTo(1);
      // Kafka Streams marks the task that punctuated as needing a commit: noted after it, the
      // commit before would look open to the thread's next input.
      assertThat(probe.commits.awaited()).as("the ask is awaited: the commit was noted").isEqualTo(1);
    }
  }

  @Test
  void requestsNothingWithoutOutput() {
    try (TopologyTestDriver driver = driver(enabled(), false)) {
      input(driver).pipeInput("m-1", "report a");
    }
    assertThat(requested).containsExactly(false);
  }

  @Test
  void requestsNothingWhenDisabled() {
    try (TopologyTestDriver driver = driver(Map.of(CommitWhenDrained.ENABLED_CONFIG, "false"), false)) {
      input(driver).pipeInput("m-1", "run a");
    }
    assertThat(active).containsOnly(false);
    assertThat(requested).containsExactly(false);
  }

  @Test
  void theCoordinatorTurnsItOnUnderExactlyOnceUnlessSetOff() {
    CoordinatorConfig eos = CoordinatorConfig.defaults("localhost:9092", java.nio.file.Path.of("/tmp"));
    CoordinatorConfig atLeastOnce = new CoordinatorConfig(eos.bootstrapServers(), eos.applicationId(), eos.topics(),
        eos.stateDir(), false, eos.commitIntervalMs(), 1, Map.of());
    CoordinatorConfig off = new CoordinatorConfig(eos.bootstrapServers(), eos.applicationId(), eos.topics(),
        eos.stateDir(), true, eos.commitIntervalMs(), 1, Map.of(CommitWhenDrained.ENABLED_CONFIG, "false"));
    assertThat(eos.streamsProperties().get(CommitWhenDrained.ENABLED_CONFIG)).isEqualTo("true");
    assertThat(atLeastOnce.streamsProperties().get(CommitWhenDrained.ENABLED_CONFIG)).isEqualTo("false");
    assertThat(off.streamsProperties().get(CommitWhenDrained.ENABLED_CONFIG)).isEqualTo("false");
  }

  @Test
  void itsProducerRetriesABusyTransactionWithinAFewMilliseconds() {
    CoordinatorConfig eos = CoordinatorConfig.defaults("localhost:9092", java.nio.file.Path.of("/tmp"));
    String backoff = StreamsConfig.producerPrefix(org.apache.kafka.clients.producer.ProducerConfig.RETRY_BACKOFF_MS_CONFIG);
    assertThat(eos.streamsProperties().get(backoff)).isEqualTo(CoordinatorConfig.RETRY_BACKOFF_MS);
    assertThat(CoordinatorConfig.RETRY_BACKOFF_MS).isLessThan(eos.commitIntervalMs());
  }

  @Test
  void aBadSettingIsRefusedWhenTheConfigIsMade() {
    CoordinatorConfig eos = CoordinatorConfig.defaults("localhost:9092", java.nio.file.Path.of("/tmp"));
    assertThatThrownBy(() -> new CoordinatorConfig(eos.bootstrapServers(), eos.applicationId(), eos.topics(),
        eos.stateDir(), true, eos.commitIntervalMs(), 1, Map.of(CommitWhenDrained.ENABLED_CONFIG, "yes")))
        .hasMessage("Expected groundcontrol.commit.when.drained to be true or false, but got 'yes'");
  }

  private static Map<String, String> enabled() {
    return Map.of(CommitWhenDrained.ENABLED_CONFIG, "true");
  }

  private static TestInputTopic<String, String> input(TopologyTestDriver driver) {
    return driver.createInputTopic(IN, Serdes.String().serializer(), Serdes.String().serializer());
  }

  private TopologyTestDriver driver(Map<String, String> configs, boolean bufferOneMore) {
    Topology topology = new Topology();
    topology.addSource("in", Serdes.String().deserializer(), Serdes.String().deserializer(), IN);
    topology.addProcessor("probe", () -> probe = new Probe(bufferOneMore), "in");
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "commit-when-drained-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.putAll(configs);
    return new TopologyTestDriver(topology, props);
  }

  /**
   * Reads inputs such as {@code "report a, run b"}: a report on stage a's first attempt, then an
   * instruction to run b's. Tells {@link CommitWhenDrained} and notes the task's commit request.
   */
  private final class Probe implements Processor<String, String, Void, Void> {
    private final boolean bufferOneMore;
    private ProcessorContext<Void, Void> context;
    private CommitWhenDrained commits;
    private boolean buffered;
    private int ticks;
    /** What the answering processor read, of the asks given to it. */
    private final List<String> read = new ArrayList<>();
    private Processor<String, AdmissionRequest, String, Object> answering;

    Probe(boolean bufferOneMore) {
      this.bufferOneMore = bufferOneMore;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
      this.context = context;
      this.commits = CommitWhenDrained.of(context);
      this.answering = AnsweringProcessor.around(Granting::new).get();
      answering.init(forwardingAnything(context));
    }

    @Override
    public void process(Record<String, String> record) {
      Object task = streamTask(context);
      if (bufferOneMore && !buffered) {
        buffered = true;
        invoke(task, "addRecords", new TopicPartition(IN, 0), List.of(new ConsumerRecord<>(IN, 0, 1L,
            record.timestamp(), TimestampType.CREATE_TIME, 3, 15, "m-1".getBytes(), "report a, run z".getBytes(),
            new RecordHeaders(), Optional.empty())));
      }
      if (record.value().startsWith("read ")) {
        // Another sub-topology of the same thread reading the asks, one input each: after each, the
        // task needs a commit, as Kafka Streams marks it once a record is processed.
        for (String step : record.value().split(", ")) {
          if (!read.isEmpty()) {
            commitNeeded(task);
          }
          answering.process(new Record<>(record.key(), ask(record.key(), step.split(" ")[1]), record.timestamp()));
          requested.add((Boolean) invoke(task, "commitRequested"));
        }
        return;
      }
      commits.inputBegins();
      for (String step : record.value().split(", ")) {
        String[] verbAndStage = step.split(" ");
        if (verbAndStage[0].equals("report")) {
          commits.answered(record.key(), verbAndStage[1], 1);
        } else if (verbAndStage[0].equals("ask")) {
          commits.asked(ask(record.key(), verbAndStage[1]));
        } else {
          commits.dispatched(record.key(), verbAndStage[1], 1);
        }
      }
      commits.inputEnds();
      active.add(commits.active());
      requested.add((Boolean) invoke(task, "commitRequested"));
      wakes.add(commits.wakeScheduled());
    }

    @Override
    public void close() {
      commits.close();
      answering.close();
    }
  }

  /** Reads an ask and writes the RUN instruction for it, as the admission does with a grant. */
  private final class Granting implements Processor<String, AdmissionRequest, String, Object> {
    private ProcessorContext<String, Object> context;

    @Override
    public void init(ProcessorContext<String, Object> context) {
      this.context = context;
      context.schedule(TICK, PunctuationType.WALL_CLOCK_TIME, at -> probe.ticks++);
    }

    @Override
    public void process(Record<String, AdmissionRequest> record) {
      probe.read.add(record.value().getStage());
      StageInstruction run = new StageInstruction();
      run.setKind(InstructionKind.RUN);
      run.setMissionId(record.key());
      run.setStage(record.value().getStage());
      run.setAttempt(1);
      context.forward(new Record<>(record.key(), run, record.timestamp()));
    }
  }

  /** The probe's context, for a processor that forwards: the probe has no children, so nothing goes anywhere. */
  @SuppressWarnings("unchecked")
  private static ProcessorContext<String, Object> forwardingAnything(ProcessorContext<Void, Void> context) {
    return (ProcessorContext<String, Object>) (ProcessorContext<?, ?>) context;
  }

  private static AdmissionRequest ask(String missionId, String stage) {
    return new AdmissionRequest("capped", missionId, stage, 1, java.time.Instant.EPOCH,
        new RequestSlot("plan", 0, true, Map.of(), null));
  }

  private static Object streamTask(Object context) {
    try {
      Field field = Class.forName("org.apache.kafka.streams.processor.internals.ProcessorContextImpl")
          .getDeclaredField("streamTask");
      field.setAccessible(true);
      return field.get(context);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  private static void commitNeeded(Object task) {
    try {
      Field field = Class.forName("org.apache.kafka.streams.processor.internals.StreamTask").getDeclaredField("commitNeeded");
      field.setAccessible(true);
      field.setBoolean(task, true);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  private static Object invoke(Object task, String method, Object... args) {
    try {
      for (var candidate : task.getClass().getMethods()) {
        if (candidate.getName().equals(method) && candidate.getParameterCount() == args.length) {
          return candidate.invoke(task, args);
        }
      }
      throw new AssertionError("No method " + method);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
