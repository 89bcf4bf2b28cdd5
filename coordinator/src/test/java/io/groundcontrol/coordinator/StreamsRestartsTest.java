package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Materialized;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the coordinator replaces its streams when the trigger topics change. The streams are real
 * but never started (no broker): made in one state directory, as the coordinator's are, they hold
 * its lock until they stop.
 */
class StreamsRestartsTest {
  @TempDir Path stateDir;
  private final List<KafkaStreams> made = new ArrayList<>();

  @AfterEach
  void closeAll() {
    made.forEach(KafkaStreams::close);
  }

  @Test
  void newStreamsAreMadeOnlyOnceTheOldOnesStopped() {
    SlowToStop old = new SlowToStop(topology(), properties());
    made.add(old);
    StreamsRestarts restarts = new StreamsRestarts(old, this::streams);

    // The close's timeout ran out while the old streams still shut down, holding the directory's lock.
    assertThatThrownBy(() -> restarts.restartWith(Set.of("orders")))
        .hasMessageContaining("attempt 1 of " + StreamsRestarts.ATTEMPTS)
        .hasMessageContaining("the previous streams did not stop within 30 s");
    assertThat(restarts.current()).isSameAs(old);

    // The watcher tries again; closing again waits for the old streams to stop.
    restarts.restartWith(Set.of("orders"));

    assertThat(old.state()).isEqualTo(KafkaStreams.State.NOT_RUNNING);
    assertThat(restarts.current()).isNotSameAs(old).isSameAs(made.get(made.size() - 1));
    assertThat(restarts.stopped()).isEmpty();
  }

  @Test
  void anInstanceWhoseStreamsCannotBeReplacedGivesUpAndSaysWhy() {
    List<Set<String>> starts = new ArrayList<>();
    Function<Set<String>, KafkaStreams> failing = topics -> {
      starts.add(topics);
      throw new IllegalStateException("Invalid topology: no such topic");
    };
    StreamsRestarts restarts = new StreamsRestarts(streams(Set.of()), failing);

    for (int attempt = 1; attempt < StreamsRestarts.ATTEMPTS; attempt++) {
      assertThatThrownBy(() -> restarts.restartWith(Set.of("orders"))).isInstanceOf(IllegalStateException.class);
      assertThat(restarts.stopped()).isEmpty();
    }
    restarts.restartWith(Set.of("orders"));
    restarts.restartWith(Set.of("orders", "exports"));

    assertThat(starts).hasSize(StreamsRestarts.ATTEMPTS);
    assertThat(restarts.stopped()).hasValue("the coordinator's streams could not be restarted to read trigger topics "
        + "[orders] (" + StreamsRestarts.ATTEMPTS + " attempts, the last: Invalid topology: no such topic); this "
        + "instance stops");
  }

  private KafkaStreams streams(Set<String> triggerTopics) {
    KafkaStreams streams = new KafkaStreams(topology(), properties());
    made.add(streams);
    return streams;
  }

  /** A topology with a persistent store, whose streams lock the state directory. */
  private static Topology topology() {
    StreamsBuilder builder = new StreamsBuilder();
    builder.table("in", Materialized.as("store"));
    return builder.build();
  }

  private Properties properties() {
    Properties properties = new Properties();
    properties.put(StreamsConfig.APPLICATION_ID_CONFIG, "streams-restarts-test");
    properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
    properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    properties.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
    properties.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
    return properties;
  }

  /** Streams whose first close runs out of time before they stop, as one against an unreachable broker does. */
  private static final class SlowToStop extends KafkaStreams {
    private int closes;

    SlowToStop(Topology topology, Properties properties) {
      super(topology, properties);
    }

    @Override // Named in full: inside KafkaStreams, CloseOptions is its deprecated nested class.
    public synchronized boolean close(org.apache.kafka.streams.CloseOptions options) {
      return ++closes > 1 && super.close(options);
    }
  }
}
