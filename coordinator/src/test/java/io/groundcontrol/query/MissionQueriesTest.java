package io.groundcontrol.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groundcontrol.coordinator.MissionStateCodec;
import io.groundcontrol.mission.Mission;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.wire.TopicNames;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A mission read while its owner does not answer: only a standby copy here can answer, and a copy
 * that lacks the mission may merely lag, so it answers "unavailable", never "no such mission".
 */
class MissionQueriesTest {
  private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
  private static final HostInfo SELF = new HostInfo("self", 8080);
  private static final HostInfo OWNER = new HostInfo("owner", 8080);

  /** The instance whose task owns partition 0 now: it never answers, or there is none. */
  private HostInfo owner = OWNER;
  private final StandbyHereStreams streams = new StandbyHereStreams(SELF, () -> owner);
  private final MissionQueries queries =
      new MissionQueries(() -> streams, SELF, TopicNames.DEFAULT, 1, new StandbyHereStreams.SilentPeers());

  @AfterEach
  void close() {
    streams.close(Duration.ZERO);
  }

  @Test
  void aStandbyCopyWithoutTheMissionAnswersUnavailableNotUnknown() {
    assertThatThrownBy(() -> queries.mission("m-1", null))
        .isInstanceOf(QueryUnavailableException.class)
        .hasMessageContaining("did not answer");
  }

  @Test
  void aStandbyCopyWithoutTheMissionAnswersUnavailableWhileNoInstanceOwnsIt() {
    owner = HostInfo.unavailable();

    assertThatThrownBy(() -> queries.mission("m-1", null))
        .isInstanceOf(QueryUnavailableException.class)
        .hasMessageContaining("No coordinator instance owns mission 'm-1'");
  }

  @Test
  void aStandbyCopyWithTheMissionAnswersItMarkedStale() {
    streams.standbyCopy().put("m-1", MissionStateCodec.toStored(Mission.restore(
        "m-1", "diamond", "v1", MissionStatus.RUNNING, Map.of(), 3, T0, T0, null, List.of())));

    Optional<MissionDocument> mission = queries.mission("m-1", null);

    assertThat(mission).hasValueSatisfying(document -> {
      assertThat(document.missionId()).isEqualTo("m-1");
      assertThat(document.stale()).isTrue();
    });
  }
}
