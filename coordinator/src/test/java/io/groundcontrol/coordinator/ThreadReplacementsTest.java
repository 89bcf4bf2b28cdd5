package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream thread that fails on every try is replaced for ever while the streams look RUNNING; a
 * few replacements in a row with no commit in between make the instance not ready, and a longer
 * run not live, until a stream thread commits again.
 */
class ThreadReplacementsTest {
  private static final StreamsException FAILURE = new StreamsException(
      "Error encountered sending record to topic gc.instructions.spark for task 0_1 due to:\nstack...",
      new TimeoutException("Expiring 1 record(s) for gc.instructions.spark-1: 120000 ms has passed"));
  private static final String CAUSE = "StreamsException: Error encountered sending record to topic "
      + "gc.instructions.spark for task 0_1 due to:, caused by TimeoutException: Expiring 1 record(s) for "
      + "gc.instructions.spark-1: 120000 ms has passed";

  private final ThreadReplacements replacements = new ThreadReplacements();

  @Test
  void replacementsInARowWithoutACommitMakeTheInstanceNotReadyNamingTheirCountAndTheLastCause() {
    replacements.replaced("t-1", Map.of("t-1", 0.0), FAILURE);
    replacements.replaced("t-2", Map.of("t-2", 0.0), FAILURE);
    assertThat(replacements.stall(Map.of("t-1", 0.0))).isEmpty();

    replacements.replaced("t-1", Map.of("t-1", 0.0), FAILURE);

    assertThat(replacements.stall(Map.of("t-2", 0.0))).hasValue(new ThreadStall(3, CAUSE));
    assertThat(replacements.stall(Map.of("t-2", 0.0)).orElseThrow().restartDue()).isFalse();
    for (int replaced = 4; replaced <= ThreadStall.NOT_LIVE_AFTER; replaced++) {
      replacements.replaced("t-2", Map.of("t-2", 0.0), FAILURE);
    }
    assertThat(replacements.stall(Map.of("t-1", 0.0)).orElseThrow().restartDue()).isTrue();
  }

  @Test
  void aCommitOfTheNewThreadMakesTheInstanceReadyAgain() {
    for (int replaced = 1; replaced <= ThreadStall.NOT_READY_AFTER; replaced++) {
      replacements.replaced("t-1", Map.of("t-1", 0.0), FAILURE);
    }

    assertThat(replacements.stall(Map.of("t-1", 1.0))).isEmpty();
    // The next failure starts a new run.
    replacements.replaced("t-1", Map.of("t-1", 1.0), FAILURE);
    replacements.replaced("t-1", Map.of("t-1", 0.0), FAILURE);
    assertThat(replacements.stall(Map.of("t-1", 0.0))).isEmpty();
  }

  @Test
  void aThreadThatCommittedBeforeItFailedStartsANewRun() {
    replacements.replaced("t-1", Map.of("t-1", 0.0), FAILURE);
    replacements.replaced("t-1", Map.of("t-1", 0.0), FAILURE);

    replacements.replaced("t-1", Map.of("t-1", 7.0), FAILURE);

    assertThat(replacements.stall(Map.of("t-1", 0.0))).isEmpty();
  }

  @Test
  void theCommitsOfAThreadThatOutlivedTheFailuresCountOnlyPastWhatItHadThen() {
    for (int replaced = 1; replaced <= ThreadStall.NOT_READY_AFTER; replaced++) {
      replacements.replaced("t-1", Map.of("t-1", 0.0, "t-2", 50.0), FAILURE);
    }

    assertThat(replacements.stall(Map.of("t-1", 0.0, "t-2", 50.0))).isPresent();
    assertThat(replacements.stall(Map.of("t-1", 0.0, "t-2", 51.0))).isEmpty();
  }

  @Test
  void newStreamsCountTheirCommitsFromZero() {
    for (int replaced = 1; replaced <= ThreadStall.NOT_READY_AFTER; replaced++) {
      replacements.replaced("t-1", Map.of("t-1", 0.0, "t-2", 50.0), FAILURE);
    }

    replacements.newStreams();

    assertThat(replacements.stall(Map.of("t-2", 1.0))).isEmpty();
  }

  @Test
  void theCommitsAreReadFromKafkaStreamsThreadMetrics(@TempDir Path stateDir) {
    Properties properties = CoordinatorConfig.defaults("localhost:9092", stateDir).streamsProperties();
    properties.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 2);
    try (KafkaStreams streams = new KafkaStreams(CoordinatorTopology.build(
        CoordinatorConfig.defaults("localhost:9092", stateDir)), properties)) {
      Map<String, Double> commits = ThreadReplacements.commitsByThread(streams);

      assertThat(commits).hasSize(2).allSatisfy((thread, count) -> {
        assertThat(thread).contains("-StreamThread-");
        assertThat(count).isZero();
      });
    }
  }
}
