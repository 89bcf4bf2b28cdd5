package io.groundcontrol.worker.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groundcontrol.worker.api.WorkerBuilderStep1.WorkerBuilderStep2;
import io.groundcontrol.worker.api.WorkerBuilderStep1.WorkerBuilderStep4;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every setting is checked when it is given, and the message says what was wrong. */
class WorkerBuilderTest {
  private final WorkerBuilderStep2 connection = Worker.builder().component("bigquery");
  private final WorkerBuilderStep4 options =
      connection.bootstrapServers("localhost:9092").handler(context -> StageResult.finished());

  @Test
  void rejectsAnInvalidComponentName() {
    assertThatThrownBy(() -> Worker.builder().component("Big Query"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Expected a component name matching [a-z0-9][a-z0-9._-]{0,99}, but got 'Big Query'");
    assertThatThrownBy(() -> Worker.builder().component(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("but got 'null'");
  }

  @Test
  void rejectsEagerRebalancesWhereTheKafkaPropertiesChooseTheAssignmentThemselves() {
    assertThatThrownBy(() -> connection.kafkaProperties(Map.of("bootstrap.servers", "k:9092",
            "partition.assignment.strategy", "org.apache.kafka.clients.consumer.RangeAssignor"))
        .handler(context -> StageResult.finished()).eagerRebalances())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("eagerRebalances() chooses the assignors, but kafka properties also set"
            + " 'partition.assignment.strategy'; give one or the other");
    assertThatThrownBy(() -> connection.kafkaProperties(Map.of("bootstrap.servers", "k:9092",
            "group.protocol", "consumer"))
        .handler(context -> StageResult.finished()).eagerRebalances())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("eagerRebalances() needs the classic group protocol, but kafka property 'group.protocol' is"
            + " 'consumer', whose broker-side assignment takes no assignor");
  }

  @Test
  void rejectsBlankBootstrapServers() {
    assertThatThrownBy(() -> connection.bootstrapServers(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bootstrapServers must be host:port pairs separated by commas, but was ' '");
  }

  /** README "Security": a Java worker loads the --kafka-config file with Properties.load and passes it. */
  @Test
  void takesAKafkaPropertiesFileLoadedWithPropertiesLoad() throws java.io.IOException {
    java.util.Properties file = new java.util.Properties();
    file.load(new java.io.StringReader("bootstrap.servers=k:9092\nsecurity.protocol=SASL_SSL\nacks=1\n"));

    assertThatThrownBy(() -> connection.kafkaProperties(file)).as("the file's settings are checked as a Map's")
        .hasMessageStartingWith("Kafka property 'acks' must be 'all'");
    file.setProperty("acks", "all");
    assertThat(connection.kafkaProperties(file)).isNotNull();
    assertThat(connection.kafkaProperties(new java.util.Properties(file))).as("defaults count").isNotNull();
    file.put(7, "seven");
    assertThatThrownBy(() -> connection.kafkaProperties(file)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Expected Kafka property names that are strings, but got 7 (java.lang.Integer)");
  }

  @Test
  void rejectsKafkaPropertiesWithoutBootstrapServers() {
    assertThatThrownBy(() -> connection.kafkaProperties(Map.of("security.protocol", "SSL")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Expected kafka properties to contain 'bootstrap.servers', but it is missing");
  }

  @Test
  void rejectsKafkaPropertiesThatWouldBreakTheWorkersGuarantees() {
    assertThatThrownBy(() -> connection.kafkaProperties(
            Map.of("bootstrap.servers", "k:9092", "enable.auto.commit", "true")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Kafka property 'enable.auto.commit' must be 'false' (the worker commits offsets itself,"
            + " after reporting), but was 'true'");
    assertThatThrownBy(() -> connection.kafkaProperties(
            Map.of("bootstrap.servers", "k:9092", "isolation.level", "read_uncommitted")))
        .hasMessageStartingWith("Kafka property 'isolation.level' must be 'read_committed'");
    assertThatThrownBy(() -> connection.kafkaProperties(Map.of("bootstrap.servers", "k:9092", "acks", "1")))
        .hasMessageStartingWith("Kafka property 'acks' must be 'all'");
    assertThatThrownBy(() -> connection.kafkaProperties(
            Map.of("bootstrap.servers", "k:9092", "group.id", "someone-else")))
        .hasMessage("Kafka property 'group.id' must be 'bigquery' (the consumer group is the component),"
            + " but was 'someone-else'");
    assertThatThrownBy(() -> connection.kafkaProperties(
            Map.of("bootstrap.servers", "k:9092", "value.deserializer", "x.Y")))
        .hasMessage("Kafka property 'value.deserializer' must not be set: the worker reads and writes the wire"
            + " format itself");
  }

  /** As the Python SDK refuses another librdkafka partitioner: a misrouted report costs a hop, and more. */
  @Test
  void rejectsAPartitionerThatWouldPutReportsOffTheirMissionsPartition() {
    assertThatThrownBy(() -> connection.kafkaProperties(Map.of("bootstrap.servers", "k:9092",
            "partitioner.class", "org.apache.kafka.clients.producer.RoundRobinPartitioner")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Kafka property 'partitioner.class' must not be set: reports must land on the partition of their"
            + " mission id, murmur2 of the key, where the coordinator reads them");
    assertThatThrownBy(() -> connection.kafkaProperties(
            Map.of("bootstrap.servers", "k:9092", "partitioner.ignore.keys", "true")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Kafka property 'partitioner.ignore.keys' must be 'false' (reports must land on the partition"
            + " of their mission id, murmur2 of the key, where the coordinator reads them), but was 'true'");
  }

  @Test
  void acceptsKafkaPropertiesThatRepeatWhatTheWorkerSets() {
    connection.kafkaProperties(Map.of(
        "bootstrap.servers", "k:9092",
        "enable.auto.commit", false,
        "acks", "-1",
        "enable.idempotence", "TRUE",
        "partitioner.ignore.keys", false,
        "group.id", "bigquery"));
  }

  @Test
  void rejectsANullHandler() {
    assertThatThrownBy(() -> connection.bootstrapServers("k:9092").handler(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("handler must not be null");
  }

  @Test
  void rejectsParallelismBelowOne() {
    assertThatThrownBy(() -> options.parallelism(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("parallelism must be at least 1, but was 0");
  }

  @Test
  void rejectsABlankWorkerId() {
    assertThatThrownBy(() -> options.workerId(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("workerId must not be blank, but was ''");
  }

  @Test
  void rejectsAFailoverTimeoutUnderASecond() {
    assertThatThrownBy(() -> options.failoverTimeout(Duration.ofMillis(999)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("failoverTimeout must be at least 1 second, but was PT0.999S");
    assertThatThrownBy(() -> options.failoverTimeout(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("failoverTimeout must not be null");
  }

  @Test
  void rejectsAHeartbeatIntervalUnderAMillisecond() {
    assertThatThrownBy(() -> options.heartbeatInterval(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("heartbeatInterval must be at least 1 ms (it is sent in whole milliseconds), but was PT0S");
    // It would go on the wire as 0 ms: a liveness window of nothing.
    assertThatThrownBy(() -> options.heartbeatInterval(Duration.ofNanos(999_999)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("heartbeatInterval must be at least 1 ms (it is sent in whole milliseconds), "
            + "but was PT0.000999999S");
    options.heartbeatInterval(Duration.ofMillis(1));
    assertThatThrownBy(() -> options.heartbeatInterval(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("heartbeatInterval must not be null");
  }

  @Test
  void rejectsIntervalsLongerThanADayWhoseArithmeticWouldOverflow() {
    assertThatThrownBy(() -> options.heartbeatInterval(ChronoUnit.FOREVER.getDuration()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("heartbeatInterval must be at most PT24H, but was PT");
    assertThatThrownBy(() -> options.startedReportDelay(Duration.ofDays(1).plusMillis(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("startedReportDelay must be at most PT24H, but was PT24H0.001S");
    assertThatThrownBy(() -> options.failoverTimeout(Duration.ofDays(25)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("failoverTimeout must be at most PT24H, but was PT600H");
    options.heartbeatInterval(Duration.ofDays(1)).startedReportDelay(Duration.ofDays(1)).failoverTimeout(Duration.ofDays(1));
  }

  @Test
  void rejectsANegativeStartedReportDelay() {
    assertThatThrownBy(() -> options.startedReportDelay(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("startedReportDelay must not be negative, but was PT-0.001S");
    assertThatThrownBy(() -> options.startedReportDelay(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("startedReportDelay must not be null");
  }

  @Test
  void rejectsANegativeCloseTimeout() {
    assertThatThrownBy(() -> options.closeTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("closeTimeout must not be negative, but was PT-1S");
  }

  @Test
  void rejectsNullTopicNamesAndClock() {
    assertThatThrownBy(() -> options.topicNames(null)).hasMessage("topicNames must not be null");
    assertThatThrownBy(() -> options.clock(null)).hasMessage("clock must not be null");
  }
}
