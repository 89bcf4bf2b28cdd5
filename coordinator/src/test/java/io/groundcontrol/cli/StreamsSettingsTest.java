package io.groundcontrol.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The benchmark's, the chaos run's and the coordinator's Kafka Streams settings are checked before anything starts. */
class StreamsSettingsTest {
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream originalErr;

  @BeforeEach
  void capture() {
    originalErr = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setErr(originalErr);
  }

  @Test
  void aBadCommitWhenDrainedSettingIsOneLineAndNoRun() {
    int exit = GroundcontrolCli.commandLine()
        .execute("bench", "--quick", "--set", "groundcontrol.commit.when.drained=soon");

    String text = err.toString(StandardCharsets.UTF_8);
    assertThat(exit).isEqualTo(2);
    assertThat(text.lines().findFirst())
        .hasValue("--set: Expected groundcontrol.commit.when.drained to be true or false, but got 'soon'");
    assertThat(text).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void theRetiredIdleSettingIsRefusedByNameRatherThanIgnored() {
    int exit = GroundcontrolCli.commandLine()
        .execute("bench", "--quick", "--set", "groundcontrol.commit.when.drained.idle.ms=2");

    String text = err.toString(StandardCharsets.UTF_8);
    assertThat(exit).isEqualTo(2);
    assertThat(text.lines().findFirst()).hasValue("--set: groundcontrol.commit.when.drained.idle.ms is no longer "
        + "a setting: a drained stream thread now commits once the reports on its last commit's instructions are in "
        + "(README, Latency)");
    assertThat(text).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void theCoordinatorChecksItsSettingsTheSameWayBeforeConnecting() {
    int exit = GroundcontrolCli.commandLine().execute("coordinator", "--bootstrap-servers", "127.0.0.1:1",
        "--set", "poll.ms=1", "--set", "groundcontrol.commit.when.drained=maybe");

    String text = err.toString(StandardCharsets.UTF_8);
    assertThat(exit).isEqualTo(2);
    assertThat(text.lines().findFirst()).hasValueSatisfying(line -> assertThat(line)
        .startsWith("--set: Expected groundcontrol.commit.when.drained to be true or false"));
    assertThat(text).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void aChaosRunChecksTheCoordinatorsSettingsBeforeStartingAnything() {
    int exit = GroundcontrolCli.commandLine().execute("chaos", "--quick", "--fault", "none",
        "--set", "groundcontrol.commit.when.drained=maybe");

    String text = err.toString(StandardCharsets.UTF_8);
    assertThat(exit).isEqualTo(2);
    assertThat(text.lines().findFirst()).hasValueSatisfying(line -> assertThat(line)
        .startsWith("--set: Expected groundcontrol.commit.when.drained to be true or false"));
    assertThat(text).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"--retention", "--results-retention"})
  void aRetentionThatIsNoDurationIsOneLineBeforeConnecting(String option) {
    int exit = GroundcontrolCli.commandLine().execute("coordinator", "--bootstrap-servers", "127.0.0.1:1",
        option, "a week");

    String text = err.toString(StandardCharsets.UTF_8);
    assertThat(exit).isEqualTo(2);
    assertThat(text.lines().findFirst()).hasValue("Invalid value for option '" + option
        + "': Expected a duration such as 12h or 30d, or 0 (for ever), but got 'a week'");
    assertThat(text).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void aKafkaStreamsSettingOfTheWrongTypeIsOneLine() {
    int exit = GroundcontrolCli.commandLine().execute("coordinator", "--bootstrap-servers", "127.0.0.1:1",
        "--set", "poll.ms=soon");

    String text = err.toString(StandardCharsets.UTF_8);
    assertThat(exit).isEqualTo(2);
    assertThat(text.lines().findFirst()).hasValueSatisfying(line -> assertThat(line)
        .startsWith("--set: Expected Kafka Streams settings of the right type: ").contains("poll.ms"));
    assertThat(text).doesNotContain("\tat ");
  }
}
