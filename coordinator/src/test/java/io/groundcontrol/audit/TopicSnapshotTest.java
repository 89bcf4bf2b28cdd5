package io.groundcontrol.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.groundcontrol.client.NoAnswerException;
import io.groundcontrol.testing.UnansweringConsumer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The audit's snapshot of a topic (replay --verify's store changelog and plans, replay inputs'
 * plans) while the cluster is unreachable: it waits for the topic's partitions as long as the
 * other tools' readers, 15 s, and says which topic it could not read. Before, it waited 30 s and
 * ended in a line that named nothing read (31.7 s measured for replay --verify).
 */
class TopicSnapshotTest {
  @Test
  void aSnapshotWaitsFifteenSecondsForTheTopicsPartitionsAndSaysWhichTopic() {
    UnansweringConsumer consumer = new UnansweringConsumer();

    Throwable failure = catchThrowable(() -> TopicSnapshot.open(consumer, "gc-coordinator-missions-changelog",
        "is the coordinator's --application-id 'gc-coordinator'?"));

    assertThat(failure).isInstanceOf(NoAnswerException.class)
        .hasMessage("Could not read topic gc-coordinator-missions-changelog: Kafka did not answer within 15 s");
    assertThat(consumer.asked).containsExactly(Duration.ofSeconds(15));
    assertThat(consumer.closed()).isTrue();
  }
}
