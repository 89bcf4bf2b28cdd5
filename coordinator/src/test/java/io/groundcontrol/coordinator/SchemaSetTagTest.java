package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.coordinator.SchemaSetTag.Schemas;
import io.groundcontrol.schema.wire.ReleasedSchemaSets;
import io.groundcontrol.schema.wire.SchemaSet;
import io.groundcontrol.schema.wire.WrittenSchemas;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SchemaSetTagTest {
  private static final SchemaSet SET = new SchemaSet("0a1b2c3d");
  private static final SchemaSet OLDEST = ReleasedSchemaSets.all().get(0).set();
  private static final SchemaSet OLDER = ReleasedSchemaSets.all().get(ReleasedSchemaSets.all().size() - 2).set();
  /** How builds of 2026-12-07 before --write-schemas read a member's client id (SchemaSetTag then). */
  private static final Pattern BEFORE = Pattern.compile(".*-schemas-([0-9a-f]{8})(?:-StreamThread-\\d+-consumer)?");

  @AfterEach
  void writeCurrentAgain() {
    WrittenSchemas.writeCurrent();
  }

  @Test
  void aMainConsumerOfATaggedClientNamesItsSchemas() {
    String clientId = SchemaSetTag.clientId(null, "gc-coordinator", Schemas.own(SET));

    assertThat(SchemaSetTag.ofMember(clientId + "-StreamThread-2-consumer")).contains(Schemas.own(SET));
  }

  @Test
  void anInstanceWritingAnOlderBuildsSchemasNamesBothAndIsThatBuildToBuildsThatKnowNoMore() {
    Schemas olderOnNewer = new Schemas(OLDER, SchemaSet.current());
    String member = SchemaSetTag.clientId("ops-eu", "gc-coordinator", olderOnNewer) + "-StreamThread-1-consumer";

    assertThat(member).isEqualTo("ops-eu-reads-" + SchemaSet.current().id() + "-schemas-" + OLDER.id()
        + "-StreamThread-1-consumer");
    assertThat(SchemaSetTag.ofMember(member)).contains(olderOnNewer);
    Matcher before = BEFORE.matcher(member);
    assertThat(before.matches()).isTrue();
    assertThat(before.group(1)).isEqualTo(OLDER.id());
  }

  @Test
  void eachInstanceGetsItsOwnClientIdUnlessTheUserSetsOne() {
    assertThat(SchemaSetTag.clientId(null, "gc-coordinator", Schemas.own(SET)))
        .isNotEqualTo(SchemaSetTag.clientId("", "gc-coordinator", Schemas.own(SET)))
        .startsWith("gc-coordinator-");
    assertThat(SchemaSetTag.clientId("mine", "gc-coordinator", Schemas.own(SET))).isEqualTo("mine-schemas-0a1b2c3d");
  }

  @Test
  void otherClientsNameNone() {
    assertThat(SchemaSetTag.ofMember("gc-coordinator-4e1f-StreamThread-1-consumer")).isEmpty();
    assertThat(SchemaSetTag.ofMember("x-schemas-0a1b2c3d-StreamThread-1-producer")).isEmpty();
    assertThat(SchemaSetTag.ofMember(null)).isEmpty();
  }

  @Test
  void theCoordinatorsClientIdNamesThisBuildsSchemas() {
    CoordinatorConfig config = CoordinatorConfig.defaults("localhost:9092", Path.of("target", "tag-test"));
    CoordinatorConfig named = config.withOverride(StreamsConfig.CLIENT_ID_CONFIG, "ops-eu");

    String clientId = config.streamsProperties().getProperty(StreamsConfig.CLIENT_ID_CONFIG);

    assertThat(SchemaSetTag.ofMember(clientId + "-StreamThread-1-consumer")).contains(Schemas.own(SchemaSet.current()));
    assertThat(named.streamsProperties().getProperty(StreamsConfig.CLIENT_ID_CONFIG))
        .isEqualTo("ops-eu-schemas-" + SchemaSet.current().id());
    assertThat(Map.copyOf(config.overrides())).doesNotContainKey(StreamsConfig.CLIENT_ID_CONFIG);
  }

  @Test
  void theCoordinatorsClientIdNamesTheOlderSchemasItWrites() {
    CoordinatorConfig named = CoordinatorConfig.defaults("localhost:9092", Path.of("target", "tag-test"))
        .withOverride(StreamsConfig.CLIENT_ID_CONFIG, "ops-eu");
    WrittenSchemas.writeAs(OLDER, (type, why) -> { });

    assertThat(named.streamsProperties().getProperty(StreamsConfig.CLIENT_ID_CONFIG))
        .isEqualTo("ops-eu-reads-" + SchemaSet.current().id() + "-schemas-" + OLDER.id());
  }

  @Test
  void instancesShareAGroupWhenEachReadsWhatTheOtherWrites() {
    Schemas current = Schemas.own(SchemaSet.current());
    Schemas older = Schemas.own(OLDER);
    Schemas olderOnCurrent = new Schemas(OLDER, SchemaSet.current());
    Schemas oldest = Schemas.own(OLDEST);
    Schemas currentOnANewerBuild = new Schemas(SchemaSet.current(), new SchemaSet("feedf00d"));

    // The first roll: the older build, and this one writing its schemas.
    assertThat(olderOnCurrent.sharesWith(older)).isTrue();
    assertThat(older.sharesWith(olderOnCurrent)).isTrue();
    // The second roll: this build writing its own schemas, and writing the older ones.
    assertThat(current.sharesWith(olderOnCurrent)).isTrue();
    assertThat(olderOnCurrent.sharesWith(current)).isTrue();
    // The next upgrade's first roll, seen from this build.
    assertThat(current.sharesWith(currentOnANewerBuild)).isTrue();
    // Never: the older build beside this one writing its own, or another older one.
    assertThat(current.sharesWith(older)).isFalse();
    assertThat(olderOnCurrent.sharesWith(oldest)).isFalse();
    assertThat(current.sharesWith(Schemas.own(new SchemaSet("feedf00d")))).isFalse();
  }
}
