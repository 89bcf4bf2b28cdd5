package io.groundcontrol.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.audit.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code hanging-transactions}: usage errors are one line and exit 2, before any broker is reached. */
class HangingTransactionsCommandTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--partition|__consumer_offsets|Invalid value for option '--partition' (TOPIC-N): Expected a partition as TOPIC-N, "
          + "e.g. __consumer_offsets-0, but got '__consumer_offsets'",
      "--partition|-3|Invalid value for option '--partition' (TOPIC-N): Expected a partition as TOPIC-N",
      "--max-transaction-timeout|0s|Invalid value for option '--max-transaction-timeout': Expected a duration "
          + "such as 90s, 5m or PT5M, but got '0s'"})
  void aBadValueIsOneLineAndExit2(String option, String value, String said) {
    CliRun run = CliRun.of("hanging-transactions", option, value, "--bootstrap-servers", "127.0.0.1:1");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.err()).as(run.toString()).doesNotContain("\tat ").startsWith(said);
  }

  @Test
  void allTopicsAndPartitionsTogetherAreOneLineAndExit2() {
    CliRun run = CliRun.of("hanging-transactions", "--all-topics", "--partition", "__consumer_offsets-0",
        "--bootstrap-servers", "127.0.0.1:1");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("error: Expected --all-topics or --partition, but got both");
  }

  @Test
  void aPartitionReadsAsKafkaPrintsIt() {
    assertThat(new HangingTransactionsCommand.PartitionConverter().convert("outage.mission-commands-12"))
        .hasToString("outage.mission-commands-12");
  }

  @Test
  void helpSaysWhatItNeeds() {
    CliRun run = CliRun.of("hanging-transactions", "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("--abort", "--kafka-config", "--bootstrap-servers", "ClusterAction");
  }
}
