package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

class TopicIdsTest {
  private static final String TOPIC = "groundcontrol.instructions.alpha";
  private final TopicIds ids = new TopicIds();
  private final Uuid first = Uuid.randomUuid();
  private final Uuid second = Uuid.randomUuid();

  @Test
  void aTopicSeenFirstOrWithItsIdIsNoNews() {
    assertThat(ids.note(TOPIC, first)).isEmpty();
    assertThat(ids.note(TOPIC, first)).isEmpty();
  }

  @Test
  void aTopicCreatedAgainIsReportedOnceWithItsIdBefore() {
    ids.note(TOPIC, first);

    assertThat(ids.note(TOPIC, second)).contains(first);
    assertThat(ids.note(TOPIC, second)).isEmpty();
  }

  /** Else a failed repair of its partitions was never tried again, and the stream thread waited for ever. */
  @Test
  void aTopicWhoseRepairFailedIsReportedAgainAtTheNextCheck() {
    ids.note(TOPIC, first);
    ids.note(TOPIC, second);

    ids.again(TOPIC, first);

    assertThat(ids.note(TOPIC, second)).contains(first);
  }
}
