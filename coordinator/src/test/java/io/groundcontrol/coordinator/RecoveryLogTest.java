package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class RecoveryLogTest {
  private static final TopicPartition CHANGELOG = new TopicPartition("gc-coordinator-missions-changelog", 0);

  private final RecoveryLog recovery = new RecoveryLog();

  @Test
  void storesWhoseCheckpointsLeftNothingToReadAreNotCalledRebuilt() {
    recovery.onRestoreStart(CHANGELOG, "missions", 120, 120);
    recovery.onRestoreEnd(CHANGELOG, "missions", 0);

    assertThat(recovery.summary()).hasValueSatisfying(summary -> assertThat(summary)
        .startsWith("nothing to rebuild from the changelogs (stores opened and checked in ").endsWith(" ms)"));
  }

  @Test
  void restoredRecordsAreCountedOverEveryStore() {
    recovery.onRestoreStart(CHANGELOG, "missions", 0, 300);
    recovery.onBatchRestored(CHANGELOG, "missions", 200, 200);
    recovery.onRestoreStart(new TopicPartition("gc-coordinator-timers-changelog", 0), "timers", 0, 40);
    recovery.onBatchRestored(CHANGELOG, "missions", 300, 100);

    assertThat(recovery.summary()).hasValueSatisfying(summary -> assertThat(summary)
        .startsWith("local state rebuilt from 300 changelog records in "));
    assertThat(recovery.summary()).as("said once").isEmpty();
  }

  @Test
  void nothingStartedSaysNothing() {
    assertThat(recovery.summary()).isEmpty();
  }
}
