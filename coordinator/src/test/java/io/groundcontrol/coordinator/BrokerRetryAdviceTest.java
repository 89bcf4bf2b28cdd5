package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When the coordinator tells its operator about the brokers' retry of a transaction still committing. */
class BrokerRetryAdviceTest {
  @Test
  void kafkasDefaultGetsOneLineNamingTheSettingAndTheValueMeasured() {
    assertThat(BrokerRetryAdvice.forBackoff(20)).hasValueSatisfying(advice -> assertThat(advice)
        .contains("after 20 ms")
        .contains("add.partitions.to.txn.retry.backoff.ms")
        .contains(BrokerRetryAdvice.RECOMMENDED_MS + " ms")
        .doesNotContain("\n"));
  }

  @Test
  void aBackoffAsShortAsTheOneMeasuredGetsNone() {
    assertThat(BrokerRetryAdvice.forBackoff(BrokerRetryAdvice.RECOMMENDED_MS)).isEmpty();
    assertThat(BrokerRetryAdvice.forBackoff(1)).isEmpty();
  }
}
