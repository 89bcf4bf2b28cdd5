package io.groundcontrol.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.util.HashSet;
import java.util.Set;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.apache.kafka.common.errors.InterruptException;
import org.junit.jupiter.api.Test;

class CompactedTopicTest {
  @Test
  void aReaderThatCannotFindItsPartitionsClosesItsConsumer() throws Exception {
    Set<ObjectName> before = openConsumers();
    // Interrupted, as when the coordinator stops its trigger topic watcher: the lookup fails at once.
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> new CompactedTopic(KafkaConnection.plaintext("127.0.0.1:1"), "triggers"))
          .isInstanceOf(InterruptException.class);
    } finally {
      Thread.interrupted();
    }

    Set<ObjectName> left = openConsumers();
    left.removeAll(before);
    assertThat(left).as("consumers left open").isEmpty();
  }

  private static Set<ObjectName> openConsumers() throws MalformedObjectNameException {
    return new HashSet<>(ManagementFactory.getPlatformMBeanServer()
        .queryNames(new ObjectName("kafka.consumer:type=app-info,*"), null));
  }
}
