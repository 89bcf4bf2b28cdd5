package io.groundcontrol.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groundcontrol.worker.api.NonRetryableStageException;
import org.junit.jupiter.api.Test;

class ExampleHandlersTest {
  @Test
  void workMsIsAWholeNumberOfMilliseconds() {
    assertThat(ExampleHandlers.workMs("250", "stage 's' of mission 'm'")).isEqualTo(250);
    assertThat(ExampleHandlers.workMs(" 0 ", "stage 's' of mission 'm'")).isZero();
  }

  @Test
  void anythingElseFailsTheAttemptWithoutRetryNamingTheValueAsGiven() {
    assertThatThrownBy(() -> ExampleHandlers.workMs("nope", "stage 'train' of mission 'm-1'"))
        .isInstanceOf(NonRetryableStageException.class)
        .hasMessage("Expected param 'work_ms' of stage 'train' of mission 'm-1' to be a whole number of milliseconds, "
            + "0 or more, but got 'nope'");
    assertThatThrownBy(() -> ExampleHandlers.workMs("-5", "here")).isInstanceOf(NonRetryableStageException.class);
    assertThatThrownBy(() -> ExampleHandlers.workMs("1.5", "here")).isInstanceOf(NonRetryableStageException.class);
  }
}
