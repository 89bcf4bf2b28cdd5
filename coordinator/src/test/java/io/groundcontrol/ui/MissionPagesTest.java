package io.groundcontrol.ui;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a mission's page says after a command, by the API's answer. */
class MissionPagesTest {
  private static final String COMMAND = "The cancel of the mission";
  private static final String DONE = "Cancelled the mission";

  @Test
  void aDecidedCommandSaysItWasDone() {
    assertThat(MissionPages.notice(answer(200, "{\"missionId\":\"m-1\",\"status\":\"CANCELLED\"}"), COMMAND, DONE))
        .isEqualTo(DONE);
  }

  @Test
  void aCommandNotDecidedWithinTheWaitSaysItIsQueuedNotThatItWasDone() {
    String notice = MissionPages.notice(
        answer(202, "{\"missionId\":\"m-1\",\"message\":\"no decision within 10 s\"}"), COMMAND, DONE);

    assertThat(notice).startsWith(COMMAND + " is queued").contains("not decided").doesNotContain(DONE);
  }

  @Test
  void aRejectionSaysWhy() {
    String error = "Expected mission 'm-1' to be RUNNING or WAITING to cancel it, but it is FINISHED";

    assertThat(MissionPages.notice(answer(409, "{\"error\":\"" + error + "\"}"), COMMAND, DONE)).isEqualTo(error);
  }

  private static ApiCalls.Answer answer(int status, String body) {
    return new ApiCalls.Answer(status, body, "application/json", null);
  }
}
