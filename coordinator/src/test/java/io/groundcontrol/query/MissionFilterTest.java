package io.groundcontrol.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.MissionStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Index keys sort newest first, and a filter's ranges hold exactly the missions it names, in list order. */
class MissionFilterTest {
  private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

  @Test
  void keysSortNewestFirstAndAPlanIsNotAPrefixOfAnother() {
    TreeSet<String> index = new TreeSet<>(List.of(
        IndexKeys.statusAndPlan(MissionStatus.RUNNING, "a", T, "m-1"),
        IndexKeys.statusAndPlan(MissionStatus.RUNNING, "a", T.plusSeconds(1), "m-2"),
        IndexKeys.statusAndPlan(MissionStatus.RUNNING, "ab", T, "m-3")));

    assertThat(listed(index, new MissionFilter(MissionStatus.RUNNING, "a", null, null), null))
        .containsExactly("m-2", "m-1");
  }

  @Test
  void aListOfEveryStatusMergesTheStatusRangesInStartOrder() {
    TreeSet<String> index = new TreeSet<>(List.of(
        IndexKeys.status(MissionStatus.FINISHED, T, "m-1"),
        IndexKeys.status(MissionStatus.RUNNING, T.plusSeconds(1), "m-2"),
        IndexKeys.status(MissionStatus.FAILED, T.plusSeconds(2), "m-3"),
        IndexKeys.statusAndPlan(MissionStatus.RUNNING, "a", T.plusSeconds(1), "m-2"),
        IndexKeys.statusAndPlan(MissionStatus.FINISHED, "b", T, "m-1"),
        IndexKeys.statusAndPlan(MissionStatus.FAILED, "a", T.plusSeconds(2), "m-3")));

    assertThat(listed(index, MissionFilter.ALL, null)).containsExactly("m-3", "m-2", "m-1");
    assertThat(listed(index, new MissionFilter(null, "a", null, null), null)).containsExactly("m-3", "m-2");
    assertThat(MissionFilter.ALL.ranges(null)).hasSize(MissionStatus.values().length);
    assertThat(new MissionFilter(MissionStatus.FAILED, null, null, null).ranges(null)).hasSize(1);
  }

  @Test
  void aTimeWindowIncludesItsStartAndExcludesItsEnd() {
    TreeSet<String> index = new TreeSet<>();
    for (int i = 0; i < 5; i++) {
      index.add(IndexKeys.status(MissionStatus.RUNNING, T.plusSeconds(i), "m-" + i));
    }
    MissionFilter filter = new MissionFilter(MissionStatus.RUNNING, null, T.plusSeconds(1), T.plusSeconds(3));

    assertThat(listed(index, filter, null)).containsExactly("m-2", "m-1");
  }

  @Test
  void aBoundInsideAMillisecondCountsThatMillisecondAsBeforeIt() {
    TreeSet<String> index = new TreeSet<>();
    for (int i = 0; i < 3; i++) {
      index.add(IndexKeys.status(MissionStatus.RUNNING, T.plusMillis(i), "m-" + i));
    }
    Instant halfPastFirst = T.plusMillis(1).plusNanos(500_000);

    // m-1 started at .001, before .0015: outside an inclusive lower bound, inside an exclusive upper one.
    assertThat(listed(index, new MissionFilter(MissionStatus.RUNNING, null, halfPastFirst, null), null))
        .containsExactly("m-2");
    assertThat(listed(index, new MissionFilter(MissionStatus.RUNNING, null, null, halfPastFirst), null))
        .containsExactly("m-1", "m-0");
  }

  @Test
  void boundsBeyondAMillisecondCountSaturateInsteadOfOverflowing() {
    TreeSet<String> index = new TreeSet<>(List.of(IndexKeys.status(MissionStatus.RUNNING, T, "m-0")));
    Instant far = Instant.parse("+300000000-01-01T00:00:00Z");
    Instant farPast = Instant.parse("-300000000-01-01T00:00:00Z");

    assertThat(MissionFilter.boundMillis(far)).isEqualTo(Long.MAX_VALUE);
    assertThat(MissionFilter.boundMillis(farPast)).isEqualTo(Long.MIN_VALUE);
    assertThat(listed(index, new MissionFilter(MissionStatus.RUNNING, null, far, null), null)).isEmpty();
    assertThat(listed(index, new MissionFilter(MissionStatus.RUNNING, null, farPast, far), null))
        .containsExactly("m-0");
  }

  @Test
  void aCursorContinuesAfterTheLastMissionItNamesInEveryRange() {
    TreeSet<String> index = new TreeSet<>();
    MissionStatus[] statuses = {MissionStatus.RUNNING, MissionStatus.FINISHED};
    for (int i = 0; i < 4; i++) {
      index.add(IndexKeys.status(statuses[i % 2], T.plusSeconds(i / 2), "m-" + i));
    }
    String afterSecond = IndexKeys.position(T.plusSeconds(1), "m-2");

    assertThat(listed(index, MissionFilter.ALL, null)).containsExactly("m-2", "m-3", "m-0", "m-1");
    assertThat(listed(index, MissionFilter.ALL, afterSecond)).containsExactly("m-3", "m-0", "m-1");
    assertThat(listed(index, MissionFilter.ALL, IndexKeys.position(T.plusSeconds(1), "m-3")))
        .containsExactly("m-0", "m-1");
  }

  @Test
  void aCursorSurvivesItsEncoding() {
    String position = IndexKeys.position(T, "m-1");

    assertThat(MissionQueries.decode(MissionQueries.encode(position))).isEqualTo(position);
  }

  /** The mission ids a filter's ranges hold in {@code index} after {@code cursor}, merged in list order. */
  private static List<String> listed(TreeSet<String> index, MissionFilter filter, String cursor) {
    List<String> positions = new ArrayList<>();
    for (MissionFilter.IndexRange range : filter.ranges(cursor)) {
      if (!range.isEmpty()) {
        index.subSet(range.from(), true, range.to(), true)
            .forEach(key -> positions.add(IndexKeys.positionOf(key, range.prefix())));
      }
    }
    positions.sort(Comparator.naturalOrder());
    return positions.stream().map(IndexKeys::missionIdOf).toList();
  }
}
