package io.groundcontrol.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChaosRunArgsTest {
  @Test
  void theCoordinatorUnderTestGetsEachOverrideAsASetInOrder() {
    Map<String, String> overrides = new LinkedHashMap<>();
    overrides.put("enable.transactional.statestores", "true");
    overrides.put("poll.ms", "1");

    assertThat(ChaosRun.coordinatorArgs("127.0.0.1:9092", Path.of("/tmp/state"), overrides))
        .startsWith("coordinator", "--bootstrap-servers", "127.0.0.1:9092")
        .containsSequence("--state-dir", "/tmp/state")
        .endsWith("--set", "enable.transactional.statestores=true", "--set", "poll.ms=1");
  }

  @Test
  void withoutOverridesTheCoordinatorRunsOnItsDefaults() {
    assertThat(ChaosRun.coordinatorArgs("127.0.0.1:9092", Path.of("/tmp/state"), Map.of())).doesNotContain("--set");
  }

  @Test
  void theSettingsKeepTheirOwnCopyOfTheOverrides() {
    Map<String, String> overrides = new LinkedHashMap<>(Map.of("poll.ms", "1"));
    ChaosSettings settings = new ChaosSettings(Fault.NONE, 1, 0, 1, 0.3, Duration.ofMinutes(1), false, overrides,
        line -> { });
    overrides.put("poll.ms", "2");

    assertThat(settings.coordinatorOverrides()).containsExactly(Map.entry("poll.ms", "1"));
  }
}
