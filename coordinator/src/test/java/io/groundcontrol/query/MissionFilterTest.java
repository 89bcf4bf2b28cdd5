package io.groundcontrol.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.MissionStatus;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Index keys sort newest first, and a filter's range holds exactly the missions it names. */
class MissionFilterTest {
  private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

  @Test
  void keysSortNewestFirstAndAPlanIsNotAPrefixOfAnother() {
    TreeSet<String> index = new TreeSet<>(List.of(
        IndexKeys.plan("a", T, "m-1"), IndexKeys.plan("a", T.plusSeconds(1), "m-2"), IndexKeys.plan("ab", T, "m-3")));
    MissionFilter filter = new MissionFilter(null, "a", null, null);

    assertThat(index.subSet(filter.from(null), true, filter.to(), true)).extracting(IndexKeys::missionIdOf)
        .containsExactly("m-2", "m-1");
  }

  @Test
  void aTimeWindowIncludesItsStartAndExcludesItsEnd() {
    TreeSet<String> index = new TreeSet<>();
    for (int i = 0; i < 5; i++) {
      index.add(IndexKeys.status(MissionStatus.RUNNING, T.plusSeconds(i), "m-" + i));
    }
    MissionFilter filter = new MissionFilter(MissionStatus.RUNNING, null, T.plusSeconds(1), T.plusSeconds(3));

    assertThat(index.subSet(filter.from(null), true, filter.to(), true)).extracting(IndexKeys::missionIdOf)
        .containsExactly("m-2", "m-1");
  }

  @Test
  void aCursorContinuesAfterTheLastMissionItNames() {
    TreeSet<String> index = new TreeSet<>();
    for (int i = 0; i < 4; i++) {
      index.add(IndexKeys.all(T.plusSeconds(i / 2), "m-" + i));
    }
    MissionFilter filter = MissionFilter.ALL;
    String afterSecond = IndexKeys.positionOf(index.stream().skip(1).findFirst().orElseThrow(), filter.prefix());

    assertThat(index.subSet(filter.from(afterSecond), true, filter.to(), true)).extracting(IndexKeys::missionIdOf)
        .containsExactly("m-0", "m-1");
  }

  @Test
  void aCursorSurvivesItsEncoding() {
    String position = IndexKeys.position(T, "m-1");

    assertThat(MissionQueries.decode(MissionQueries.encode(position))).isEqualTo(position);
  }
}
