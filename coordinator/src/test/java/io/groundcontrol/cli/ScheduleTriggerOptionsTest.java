package io.groundcontrol.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.groundcontrol.schema.TriggerSchedule;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** `schedule trigger NAME --priority N`: a fire-now at another priority than its schedule's, as mission start takes one. */
class ScheduleTriggerOptionsTest {
  @Test
  void aFireNowCarriesTheGivenPriorityAndNoneWithoutIt() {
    assertThat(command("nightly", "--priority", "-12", "-p", "day=\"2026-12-01\""))
        .isEqualTo(new TriggerSchedule(Map.of("day", "\"2026-12-01\""), -12));
    assertThat(command("nightly").getPriority()).as("the schedule's own").isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"2147483648", "1.5", "high"})
  void aPriorityMissionStartRefusesIsRefusedWithItsMessage(String priority) {
    String missionStart = refusal(new MissionCommandsCli.Start(), "p", "--priority", priority);

    assertThat(refusal(new ScheduleCommandsCli.Trigger(), "nightly", "--priority", priority))
        .isEqualTo(missionStart).isEqualTo("Invalid value for option '--priority': '" + priority + "' is not an int");
  }

  private static TriggerSchedule command(String... args) {
    ScheduleCommandsCli.Trigger trigger = new ScheduleCommandsCli.Trigger();
    new CommandLine(trigger).parseArgs(args);
    return trigger.command();
  }

  private static String refusal(Object command, String... args) {
    Throwable refused = catchThrowable(() -> new CommandLine(command).parseArgs(args));
    assertThat(refused).isInstanceOf(CommandLine.ParameterException.class);
    return refused.getMessage();
  }
}
