package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

  /** What the processor saw for each input: whether a commit was requested after its output. */
  private final List<Boolean> requested = new ArrayList<>();
  private final List<Boolean> active = new ArrayList<>();

  @Test
  void requestsACommitWhenNothingIsBuffered() {
    try (TopologyTestDriver driver = driver(idleFor(0), false)) {
      input(driver).pipeInput("m-1", "report");
      input(driver).pipeInput("m-2", "report");
    }
    assertThat(active).containsOnly(true);
    assertThat(requested).containsExactly(true, true);
  }

  @Test
  void leavesTheCommitToTheIntervalWhileInputIsBuffered() {
    try (TopologyTestDriver driver = driver(idleFor(0), true)) {
      input(driver).pipeInput("m-1", "report");
    }
    // The first input sees the record it buffered behind itself; that one, processed next, sees none.
    assertThat(requested).containsExactly(false, true);
  }

  @Test
  void requestsNothingWhenDisabled() {
    try (TopologyTestDriver driver = driver(Map.of(CommitWhenDrained.ENABLED_CONFIG, "false"), false)) {
      input(driver).pipeInput("m-1", "report");
    }
    assertThat(active).containsOnly(false);
    assertThat(requested).containsExactly(false);
  }

  @Test
  void requestsOnlyAfterTheThreadWasIdle() {
    try (TopologyTestDriver driver = driver(idleFor(5), false)) {
      input(driver).pipeInput("m-1", "report");
      driver.advanceWallClockTime(Duration.ofMillis(2));
      input(driver).pipeInput("m-2", "report");
      driver.advanceWallClockTime(Duration.ofMillis(4));
      input(driver).pipeInput("m-3", "report");
      driver.advanceWallClockTime(Duration.ofMillis(5));
      input(driver).pipeInput("m-4", "report");
    }
    // m-2 came 2 ms after m-1's output and m-3 4 ms after m-2's: a load, left to the interval.
    assertThat(requested).containsExactly(true, false, false, true);
  }

  @Test
  void theIdleTimeDefaultsToTwoMillisecondsAtMostTheCommitIntervalUnlessSet() {
    try (TopologyTestDriver driver = driver(
        Map.of(CommitWhenDrained.ENABLED_CONFIG, "true", StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "1000"), false)) {
      input(driver).pipeInput("m-1", "report");
      driver.advanceWallClockTime(Duration.ofMillis(CoordinatorConfig.DEFAULT_DRAINED_IDLE_MS - 1));
      input(driver).pipeInput("m-2", "report");
      driver.advanceWallClockTime(Duration.ofMillis(CoordinatorConfig.DEFAULT_DRAINED_IDLE_MS));
      input(driver).pipeInput("m-3", "report");
    }
    try (TopologyTestDriver driver = driver(
        Map.of(CommitWhenDrained.ENABLED_CONFIG, "true", StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "1"), false)) {
      input(driver).pipeInput("m-4", "report");
      driver.advanceWallClockTime(Duration.ofMillis(1));
      input(driver).pipeInput("m-5", "report");
    }
    assertThat(requested).containsExactly(true, false, true, true, true);
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
    assertThat(eos.streamsProperties().get(CommitWhenDrained.IDLE_CONFIG)).isEqualTo("2");
    CoordinatorConfig slow = new CoordinatorConfig(eos.bootstrapServers(), eos.applicationId(), eos.topics(),
        eos.stateDir(), true, 1, 1, Map.of(CommitWhenDrained.IDLE_CONFIG, "7"));
    assertThat(new CoordinatorConfig(eos.bootstrapServers(), eos.applicationId(), eos.topics(), eos.stateDir(), true,
        1, 1, Map.of()).streamsProperties().get(CommitWhenDrained.IDLE_CONFIG)).isEqualTo("1");
    assertThat(slow.streamsProperties().get(CommitWhenDrained.IDLE_CONFIG)).isEqualTo("7");
  }

  @Test
  void itsProducerRetriesABusyTransactionWithinACommitInterval() {
    CoordinatorConfig eos = CoordinatorConfig.defaults("localhost:9092", java.nio.file.Path.of("/tmp"));
    String backoff = StreamsConfig.producerPrefix(org.apache.kafka.clients.producer.ProducerConfig.RETRY_BACKOFF_MS_CONFIG);
    assertThat(eos.streamsProperties().get(backoff)).isEqualTo(eos.commitIntervalMs());
  }

  @Test
  void aBadSettingIsRefusedWhenTheConfigIsMade() {
    CoordinatorConfig eos = CoordinatorConfig.defaults("localhost:9092", java.nio.file.Path.of("/tmp"));
    assertThatThrownBy(() -> new CoordinatorConfig(eos.bootstrapServers(), eos.applicationId(), eos.topics(),
        eos.stateDir(), true, eos.commitIntervalMs(), 1, Map.of(CommitWhenDrained.IDLE_CONFIG, "5ms")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Expected groundcontrol.commit.when.drained.idle.ms to be a whole number of milliseconds, "
            + "0 or more, but got '5ms'");
    assertThatThrownBy(() -> new CoordinatorConfig(eos.bootstrapServers(), eos.applicationId(), eos.topics(),
        eos.stateDir(), true, eos.commitIntervalMs(), 1, Map.of(CommitWhenDrained.ENABLED_CONFIG, "yes")))
        .hasMessage("Expected groundcontrol.commit.when.drained to be true or false, but got 'yes'");
  }

  private static Map<String, String> idleFor(long ms) {
    return Map.of(CommitWhenDrained.ENABLED_CONFIG, "true", CommitWhenDrained.IDLE_CONFIG, Long.toString(ms));
  }

  private static TestInputTopic<String, String> input(TopologyTestDriver driver) {
    return driver.createInputTopic(IN, Serdes.String().serializer(), Serdes.String().serializer());
  }

  private TopologyTestDriver driver(Map<String, String> configs, boolean bufferOneMore) {
    Topology topology = new Topology();
    topology.addSource("in", Serdes.String().deserializer(), Serdes.String().deserializer(), IN);
    topology.addProcessor("probe", () -> new Probe(bufferOneMore), "in");
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "commit-when-drained-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.putAll(configs);
    return new TopologyTestDriver(topology, props);
  }

  /** Writes nothing; asks {@link CommitWhenDrained} after each input and notes the task's commit request. */
  private final class Probe implements Processor<String, String, Void, Void> {
    private final boolean bufferOneMore;
    private ProcessorContext<Void, Void> context;
    private CommitWhenDrained commits;
    private boolean buffered;

    Probe(boolean bufferOneMore) {
      this.bufferOneMore = bufferOneMore;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
      this.context = context;
      this.commits = CommitWhenDrained.of(context);
    }

    @Override
    public void process(Record<String, String> record) {
      Object task = streamTask(context);
      if (bufferOneMore && !buffered) {
        buffered = true;
        invoke(task, "addRecords", new TopicPartition(IN, 0), List.of(new ConsumerRecord<>(IN, 0, 1L,
            record.timestamp(), TimestampType.CREATE_TIME, 3, 6, "m-9".getBytes(), "report".getBytes(),
            new RecordHeaders(), Optional.empty())));
      }
      commits.outputWritten();
      active.add(commits.active());
      requested.add((Boolean) invoke(task, "commitRequested"));
    }

    @Override
    public void close() {
      commits.close();
    }
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
