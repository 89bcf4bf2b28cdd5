package io.groundcontrol.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Rejection reasons, as the state machine words them, map to the HTTP status their kind calls for. */
class RejectionStatusTest {
  @Test
  void whatDoesNotExistIs404() {
    assertThat(RejectionStatus.of("Expected mission 'm-1' to exist, but it is unknown")).isEqualTo(404);
    assertThat(RejectionStatus.of("Expected plan 'nightly' to be applied, but it is unknown")).isEqualTo(404);
    assertThat(RejectionStatus.of("Expected mission 'm-1' of plan 'p' to have stage 'x', but it has none"))
        .isEqualTo(404);
  }

  @Test
  void theWrongStateIs409() {
    assertThat(RejectionStatus.of("Expected mission 'm-1' to be new, but it is RUNNING on plan 'p' since 2026-01-01T00:00:00Z"))
        .isEqualTo(409);
    assertThat(RejectionStatus.of("Expected mission 'm-1' to be RUNNING to cancel it, but it is FINISHED")).isEqualTo(409);
    assertThat(RejectionStatus.of("Expected mission 'm-1' to be RUNNING or FAILED to retry stage 'a', but it is CANCELLED"))
        .isEqualTo(409);
    assertThat(RejectionStatus.of("Expected stage 'load' to be FAILED to retry it, but it is RUNNING")).isEqualTo(409);
  }

  @Test
  void aWrongCommandIs400() {
    assertThat(RejectionStatus.of("Expected params that plan 'p' accepts, but 'date' is required")).isEqualTo(400);
    assertThat(RejectionStatus.of("Expected stages to exclude from plan 'p', but it has no stage 'x'")).isEqualTo(400);
    assertThat(RejectionStatus.of("Expected a mission id without control characters, but got 'a\\u0000'")).isEqualTo(400);
  }
}
