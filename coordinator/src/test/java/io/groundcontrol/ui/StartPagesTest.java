package io.groundcontrol.ui;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the start form does with the API's answer to a start. */
class StartPagesTest {
  @Test
  void aStartQueuedWithoutADecisionSaysSoInsteadOfOpeningAPageThatMayNotExist() {
    String message = StartPages.undecided(new ApiCalls.Answer(202,
        "{\"missionId\":\"m-7\",\"message\":\"The command is queued\"}", "application/json", null));

    assertThat(message).startsWith("Mission m-7 is queued, but the coordinator has not decided its start yet")
        .contains("submit again");
  }

  @Test
  void aDecidedStartOpensTheMissionsPage() {
    assertThat(StartPages.undecided(new ApiCalls.Answer(201, "{\"missionId\":\"m-7\"}", "application/json", null)))
        .isNull();
    assertThat(StartPages.undecided(new ApiCalls.Answer(200, "{\"missionId\":\"m-7\"}", "application/json", null)))
        .isNull();
  }
}
