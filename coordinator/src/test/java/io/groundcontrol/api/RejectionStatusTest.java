package io.groundcontrol.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.RejectionReason;
import org.junit.jupiter.api.Test;

/**
 * Rejections map to the HTTP status their kind calls for: by their typed reason, and by the
 * message shape for rejections written before reasons existed.
 */
class RejectionStatusTest {
  @Test
  void typedReasonsMapByKind() {
    assertThat(RejectionStatus.of(RejectionReason.UNKNOWN_MISSION, "any")).isEqualTo(404);
    assertThat(RejectionStatus.of(RejectionReason.UNKNOWN_PLAN, "any")).isEqualTo(404);
    assertThat(RejectionStatus.of(RejectionReason.UNKNOWN_STAGE, "any")).isEqualTo(404);
    assertThat(RejectionStatus.of(RejectionReason.DUPLICATE_MISSION, "any")).isEqualTo(409);
    assertThat(RejectionStatus.of(RejectionReason.WRONG_MISSION_STATE, "any")).isEqualTo(409);
    assertThat(RejectionStatus.of(RejectionReason.WRONG_STAGE_STATE, "any")).isEqualTo(409);
    assertThat(RejectionStatus.of(RejectionReason.INVALID_INPUT, "any")).isEqualTo(400);
    assertThat(RejectionStatus.of(RejectionReason.PROCESSING_FAILED, "any")).isEqualTo(500);
    assertThat(RejectionStatus.of(RejectionReason.UNSPECIFIED, "Expected plan 'p' to be applied, but it is unknown"))
        .isEqualTo(404);
  }

  @Test
  void whatDoesNotExistIs404() {
    assertThat(RejectionStatus.ofMessage("Expected mission 'm-1' to exist, but it is unknown")).isEqualTo(404);
    assertThat(RejectionStatus.ofMessage("Expected plan 'nightly' to be applied, but it is unknown")).isEqualTo(404);
    assertThat(RejectionStatus.ofMessage("Expected mission 'm-1' of plan 'p' to have stage 'x', but it has none"))
        .isEqualTo(404);
  }

  @Test
  void theWrongStateIs409() {
    assertThat(RejectionStatus.ofMessage("Expected mission 'm-1' to be new, but it is RUNNING on plan 'p' since 2026-01-01T00:00:00Z"))
        .isEqualTo(409);
    assertThat(RejectionStatus.ofMessage("Expected mission 'm-1' to be RUNNING to cancel it, but it is FINISHED")).isEqualTo(409);
    assertThat(RejectionStatus.ofMessage("Expected mission 'm-1' to be RUNNING or FAILED to retry stage 'a', but it is CANCELLED"))
        .isEqualTo(409);
    assertThat(RejectionStatus.ofMessage("Expected stage 'load' to be FAILED to retry it, but it is RUNNING")).isEqualTo(409);
  }

  @Test
  void aWrongCommandIs400() {
    assertThat(RejectionStatus.ofMessage("Expected params that plan 'p' accepts, but 'date' is required")).isEqualTo(400);
    assertThat(RejectionStatus.ofMessage("Expected stages to exclude from plan 'p', but it has no stage 'x'")).isEqualTo(400);
    assertThat(RejectionStatus.ofMessage("Expected a mission id without control characters, but got 'a\\u0000'")).isEqualTo(400);
  }
}
