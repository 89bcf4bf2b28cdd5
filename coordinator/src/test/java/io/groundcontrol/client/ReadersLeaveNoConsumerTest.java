package io.groundcontrol.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groundcontrol.schema.wire.TopicNames;
import java.lang.management.ManagementFactory;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A reader whose constructor fails to set up its consumer closes it: the caller has nothing to
 * close, and the trigger topic watcher (every 5 s) and the API (every event-log request) make
 * readers again.
 */
class ReadersLeaveNoConsumerTest {
  private static final KafkaConnection NO_BROKER = KafkaConnection.plaintext("127.0.0.1:1");

  interface Reader {
    AutoCloseable open();
  }

  static Stream<Arguments> readers() {
    return Stream.of(
        Arguments.of("CompactedTopic", (Reader) () -> new CompactedTopic(NO_BROKER, "triggers")),
        Arguments.of("LiveTable", (Reader) () -> new LiveTable<>(NO_BROKER, "component-status", new StringDeserializer())),
        Arguments.of("LogFeed", (Reader) () -> new LogFeed<>(NO_BROKER, "schedule-events", new StringDeserializer())),
        Arguments.of("MissionLog", (Reader) () -> new MissionLog(NO_BROKER, TopicNames.DEFAULT)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("readers")
  void aReaderThatCannotFindItsPartitionsClosesItsConsumer(String name, Reader reader) throws Exception {
    Set<ObjectName> before = openConsumers();
    // Interrupted, as when the coordinator stops its trigger topic watcher: the lookup fails at once.
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(reader::open).isInstanceOf(InterruptException.class);
    } finally {
      Thread.interrupted();
    }

    Set<ObjectName> left = openConsumers();
    left.removeAll(before);
    assertThat(left).as("consumers %s left open", name).isEmpty();
  }

  private static Set<ObjectName> openConsumers() throws MalformedObjectNameException {
    return new HashSet<>(ManagementFactory.getPlatformMBeanServer()
        .queryNames(new ObjectName("kafka.consumer:type=app-info,*"), null));
  }
}
