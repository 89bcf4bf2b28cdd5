package io.groundcontrol.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class DemoCommandTest {
  @Test
  void aRunningDevsBrokerIsUsedWithoutAStackOfItsOwn() {
    assertThat(DemoCommand.bootstrapServers(Optional.of("127.0.0.1:31092"), null)).isEqualTo("127.0.0.1:31092");
  }
}
