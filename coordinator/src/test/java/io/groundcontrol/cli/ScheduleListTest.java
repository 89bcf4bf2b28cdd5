package io.groundcontrol.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class ScheduleListTest {
  @Test
  void aFireTimeSaysItsOffset() {
    Instant at = Instant.parse("2026-12-07T01:31:21Z");
    String offset = ZoneId.systemDefault().getRules().getOffset(at).getId().replace("Z", "+00:00");

    assertThat(ScheduleList.fireTime(at)).endsWith(" " + offset).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d .*");
  }
}
