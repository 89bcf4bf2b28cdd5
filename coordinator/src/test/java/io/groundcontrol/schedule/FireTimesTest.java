package io.groundcontrol.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Nominal times, daylight-saving rules included, without Kafka. */
class FireTimesTest {
  private static final ZoneId COPENHAGEN = ZoneId.of("Europe/Copenhagen");

  private static List<Instant> between(FireTimes times, String from, String to) {
    List<Instant> found = new ArrayList<>();
    Instant at = Instant.parse(from);
    while (true) {
      at = times.after(at).orElseThrow();
      if (at.isAfter(Instant.parse(to))) {
        return found;
      }
      found.add(at);
    }
  }

  @Test
  void aLocalTimeInTheSpringGapFiresOnceShiftedByTheGap() {
    assertThat(between(FireTimes.cron("30 2 * * *", COPENHAGEN), "2026-03-28T00:00:00Z", "2026-03-31T00:00:00Z"))
        .containsExactly(Instant.parse("2026-03-28T01:30:00Z"), Instant.parse("2026-03-29T01:30:00Z"),
            Instant.parse("2026-03-30T00:30:00Z"));
  }

  @Test
  void aRepeatedLocalTimeInTheAutumnFiresAtItsFirstOccurrenceOnly() {
    assertThat(between(FireTimes.cron("30 2 * * *", COPENHAGEN), "2026-10-24T00:00:00Z", "2026-10-27T00:00:00Z"))
        .containsExactly(Instant.parse("2026-10-24T00:30:00Z"), Instant.parse("2026-10-25T00:30:00Z"),
            Instant.parse("2026-10-26T01:30:00Z"));
  }

  @Test
  void searchingFromInsideTheRepeatedHourDoesNotFireItAgain() {
    // 01:15Z is 02:15 CET, the second 02:15 of 25 October; 02:30 CEST (00:30Z) lies behind.
    assertThat(FireTimes.cron("30 2 * * *", COPENHAGEN).after(Instant.parse("2026-10-25T01:15:00Z")))
        .hasValue(Instant.parse("2026-10-26T01:30:00Z"));
  }

  @Test
  void anIntervalCountsWholeIntervalsFromItsAnchor() {
    FireTimes times = FireTimes.every(Duration.ofMinutes(15), Instant.parse("2026-01-01T00:05:00Z"));

    assertThat(times.after(Instant.parse("2026-11-22T10:00:00Z"))).hasValue(Instant.parse("2026-11-22T10:05:00Z"));
    assertThat(times.after(Instant.parse("2026-11-22T10:05:00Z"))).hasValue(Instant.parse("2026-11-22T10:20:00Z"));
  }
}
