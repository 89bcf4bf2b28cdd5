package io.groundcontrol.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PartitionOffsetsTest {
  private final PartitionOffsets offsets = new PartitionOffsets(new TopicPartition("t", 0));

  @Test
  void hasNothingToCommitBeforeTheFirstRecordIsDone() {
    assertThat(offsets.toCommit()).isEmpty();
    offsets.taken(5);
    assertThat(offsets.toCommit()).isEmpty();
  }

  @Test
  void commitsOnlyUpToTheFirstRecordNotDone() {
    offsets.taken(5);
    offsets.taken(6);
    offsets.taken(9);

    offsets.done(6);
    offsets.done(9);
    assertThat(offsets.toCommit()).isEmpty();

    offsets.done(5);
    assertThat(offsets.toCommit()).hasValue(10);
  }

  @Test
  void commitsPastAGapInOffsets() {
    offsets.taken(5);
    offsets.taken(8);
    offsets.done(5);
    assertThat(offsets.toCommit()).hasValue(8);
    offsets.committed(8);
    assertThat(offsets.toCommit()).isEmpty();

    offsets.done(8);
    assertThat(offsets.toCommit()).hasValue(9);
  }

  @Test
  void commitsAgainAfterAFailedCommit() {
    offsets.taken(0);
    offsets.done(0);
    offsets.committed(1);
    assertThat(offsets.toCommit()).isEmpty();

    offsets.commitFailed();

    assertThat(offsets.toCommit()).hasValue(1);
  }

  @Test
  void commitsNothingOnceRetired() {
    offsets.taken(0);
    offsets.done(0);

    offsets.retire();

    assertThat(offsets.toCommit()).isEmpty();
  }
}
