package io.groundcontrol.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.apache.kafka.clients.consumer.MockConsumer;
import org.junit.jupiter.api.Test;

/**
 * A cluster without the installation's topics (another cluster at the address, as when another
 * broker took the port while ours was down, or another topic prefix): the reader says so in a
 * type the CLI prints as one line, not a stack trace.
 */
class MissingTopicTest {
  @Test
  void aMissionLogOnAClusterWithoutTheEventsTopicSaysSoInOneLine() {
    MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");

    MissingTopicException missing = catchThrowableOfType(MissingTopicException.class,
        () -> new MissionLog(consumer, "outage.mission-events", "127.0.0.1:19092"));

    assertThat(missing).isNotNull();
    assertThat(missing.getMessage()).isEqualTo("Expected topic outage.mission-events to exist, but it does not: "
        + "has a coordinator ever run against 127.0.0.1:19092?");
    assertThat(consumer.closed()).isTrue();
  }
}
