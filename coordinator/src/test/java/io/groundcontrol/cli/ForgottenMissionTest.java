package io.groundcontrol.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.mission.InMemoryPlans;
import io.groundcontrol.mission.Mission;
import io.groundcontrol.mission.MissionHarness;
import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@code mission show} says of a mission it cannot show, a forgotten one above all: the log still holds it. */
class ForgottenMissionTest {
  private static final String TOPIC = "groundcontrol.mission-events";

  private final MissionHarness harness = new MissionHarness(new InMemoryPlans().apply(TestPlan.named("brief").stage("only", "quick")));
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);

  private List<MissionEvent> forgottenMission(String id) {
    harness.start(id, "brief").stage(id, "only").runs();
    harness.sweep(id, Duration.ofDays(7));
    return List.copyOf(harness.log(id));
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void showAsOfATimeAfterTheMissionWasForgottenSaysSo() {
    List<MissionEvent> events = forgottenMission("m1");
    Instant forgottenAt = events.get(events.size() - 1).getTimestamp();
    Instant asOf = forgottenAt.plusSeconds(60);

    Mission then = AuditCommands.missionAsOf("m1", events, asOf, TOPIC, errStream);

    assertThat(then).isNull();
    assertThat(err()).isEqualTo("Mission 'm1' had been forgotten by " + asOf + " (at " + forgottenAt
        + ", once its retention was over); `groundcontrol audit mission m1` prints what the log holds" + System.lineSeparator());
  }

  @Test
  void showAsOfATimeBetweenTwoLivesOfAnIdSaysTheFirstWasForgottenAndLaterShowsTheSecond() {
    List<MissionEvent> first = forgottenMission("m1");
    Instant forgottenAt = first.get(first.size() - 1).getTimestamp();
    harness.start("m1", "brief");
    List<MissionEvent> both = harness.log("m1");

    assertThat(AuditCommands.missionAsOf("m1", both, forgottenAt, TOPIC, errStream)).isNull();
    assertThat(err()).startsWith("Mission 'm1' had been forgotten by " + forgottenAt + " (at " + forgottenAt);
    assertThat(AuditCommands.missionAsOf("m1", both, harness.now(), TOPIC, errStream).status()).isEqualTo(MissionStatus.RUNNING);
  }

  @Test
  void showAsOfATimeInEitherLifeOfAnIdCountsThatLifesEventsOnly() {
    List<MissionEvent> first = forgottenMission("m1");
    Instant firstEnded = first.get(first.size() - 2).getTimestamp();
    harness.start("m1", "brief");
    List<MissionEvent> both = harness.log("m1");
    int secondLife = both.size() - first.size();

    AuditCommands.missionAsOf("m1", both, firstEnded, TOPIC, errStream);
    AuditCommands.missionAsOf("m1", both, harness.now(), TOPIC, errStream);

    assertThat(err()).isEqualTo("As of " + firstEnded + ": events 1 to " + (first.size() - 1) + " of " + first.size()
        + " of the id's mission 1 of 2" + System.lineSeparator()
        + "As of " + harness.now() + ": events 1 to " + secondLife + " of " + secondLife
        + " of the id's mission 2 of 2" + System.lineSeparator());
  }

  @Test
  void showFromTheLogOfAForgottenMissionSaysItWasForgottenNotThatItHasNoEvents() {
    List<MissionEvent> events = forgottenMission("m1");

    assertThat(MissionCommandsCli.Show.fromLog("m1", Map.of("m1", events), TOPIC, errStream)).isNull();
    assertThat(err()).isEqualTo("Unknown mission 'm1': forgotten at " + events.get(events.size() - 1).getTimestamp()
        + ", once its retention was over; `groundcontrol audit mission m1` prints what the log holds" + System.lineSeparator());
  }

  @Test
  void showFromTheLogOfAnIdWithOnlyRejectedInputsSaysItNeverStarted() {
    harness.cancel("m2");

    assertThat(MissionCommandsCli.Show.fromLog("m2", Map.of("m2", harness.log("m2")), TOPIC, errStream)).isNull();
    assertThat(err()).isEqualTo("Unknown mission 'm2': never started (" + TOPIC + " holds only 1 rejected input for it); "
        + "`groundcontrol audit mission m2` prints what the log holds" + System.lineSeparator());
  }
}
