package io.groundcontrol.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groundcontrol.worker.api.NonRetryableStageException;
import io.groundcontrol.worker.api.StageContext;
import org.junit.jupiter.api.Test;

class StageContextImplTest {
  private final StageContext context = new StageContextImpl(
      WorkerFixture.run("m-1", "load").param("table", "\"sales\"").param("limit", "10").param("raw", "plain")
          .build(),
      () -> false);

  @Test
  void givesParamsAsJsonTextOrDecodedStrings() {
    assertThat(context.param("table")).contains("\"sales\"");
    assertThat(context.stringParam("table")).contains("sales");
    assertThat(context.stringParam("limit")).contains("10");
    assertThat(context.stringParam("raw")).contains("plain");
    assertThat(context.param("missing")).isEmpty();
    assertThat(context.stringParam("missing")).isEmpty();
    assertThat(context.requireParam("table")).isEqualTo("\"sales\"");
    assertThat(context.requireStringParam("table")).isEqualTo("sales");
  }

  @Test
  void saysWhichParamIsMissingForWhichStageAndMission() {
    assertThatThrownBy(() -> context.requireStringParam("dataset"))
        .isInstanceOf(NonRetryableStageException.class)
        .hasMessage("Expected param 'dataset' for stage 'load' of mission 'm-1', but it is missing");
  }

  @Test
  void hasNoTimeoutWhenThePlanSetsNone() {
    assertThat(context.timeout()).isEmpty();
  }
}
