package io.groundcontrol.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

  @Test
  void aCronCountsWholeDaysAsWalkingItsTimesOneByOneDoes() {
    // Days around the changes of 2026 in zones with 1-hour, 30-minute and midnight changes.
    Map<String, List<String>> changes = Map.of(
        "Europe/Copenhagen", List.of("2026-03-27T10:00:00Z", "2026-10-23T22:31:00Z"),
        "Australia/Lord_Howe", List.of("2026-04-02T03:07:00Z", "2026-10-02T10:00:00Z"),
        "America/Havana", List.of("2026-03-06T00:00:00Z", "2026-10-30T10:00:00Z"),
        "UTC", List.of("2026-02-26T00:00:00Z"));
    List<String> crons = List.of("*/10 * * * *", "*/20 1-3 * * *", "30 2 * * *", "0 0 13 * 5", "15 0,23 * * *");
    changes.forEach((zone, starts) -> crons.forEach(cron -> starts.forEach(start -> {
      FireTimes counted = FireTimes.cron(cron, ZoneId.of(zone));
      FireTimes walked = counted::after;
      Instant after = Instant.parse(start);
      Instant until = after.plus(Duration.ofDays(5)).plusSeconds(4321);
      assertThat(counted.span(after, until)).as(cron + " " + zone + " from " + start).isEqualTo(walked.span(after, until));
      long k = walked.span(after, until).count() / 2 + 3;
      assertThat(counted.nth(after, k)).as(k + "th, " + cron + " " + zone + " from " + start)
          .isEqualTo(walked.nth(after, k));
    })));
  }

  @Test
  void aYearOfAMinuteCronIsCountedWholeLessTheSpringHour() {
    FireTimes.Span year = FireTimes.cron("* * * * *", COPENHAGEN)
        .span(Instant.parse("2025-12-31T23:00:00Z"), Instant.parse("2026-12-31T23:00:00Z"));

    // The spring gap's 60 local minutes, shifted onto the next hour's, fire once with them.
    assertThat(year.count()).isEqualTo(365 * 1440 - 60);
    assertThat(year.first()).isEqualTo(Instant.parse("2025-12-31T23:01:00Z"));
    assertThat(year.last()).isEqualTo(Instant.parse("2026-12-31T23:00:00Z"));
  }

  @Test
  void anIntervalCountsWithoutWalking() {
    FireTimes times = FireTimes.every(Duration.ofSeconds(1), Instant.EPOCH);

    assertThat(times.span(Instant.parse("2026-01-01T00:00:00.500Z"), Instant.parse("2036-01-01T00:00:00Z")))
        .isEqualTo(new FireTimes.Span(Duration.ofDays(3652).toSeconds(), Instant.parse("2026-01-01T00:00:01Z"),
            Instant.parse("2036-01-01T00:00:00Z")));
    assertThat(times.nth(Instant.parse("2026-01-01T00:00:00Z"), 86_400)).hasValue(Instant.parse("2026-01-02T00:00:00Z"));
  }
}
