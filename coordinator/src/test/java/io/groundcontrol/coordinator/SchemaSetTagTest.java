package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.wire.SchemaSet;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class SchemaSetTagTest {
  private static final SchemaSet SET = new SchemaSet("0a1b2c3d");

  @Test
  void aMainConsumerOfATaggedClientNamesItsSchemas() {
    String clientId = SchemaSetTag.clientId(null, "gc-coordinator", SET);

    assertThat(SchemaSetTag.ofMember(clientId + "-StreamThread-2-consumer")).contains(SET);
  }

  @Test
  void eachInstanceGetsItsOwnClientIdUnlessTheUserSetsOne() {
    assertThat(SchemaSetTag.clientId(null, "gc-coordinator", SET))
        .isNotEqualTo(SchemaSetTag.clientId("", "gc-coordinator", SET))
        .startsWith("gc-coordinator-");
    assertThat(SchemaSetTag.clientId("mine", "gc-coordinator", SET)).isEqualTo("mine-schemas-0a1b2c3d");
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

    assertThat(SchemaSetTag.ofMember(clientId + "-StreamThread-1-consumer")).contains(SchemaSet.current());
    assertThat(named.streamsProperties().getProperty(StreamsConfig.CLIENT_ID_CONFIG))
        .isEqualTo("ops-eu-schemas-" + SchemaSet.current().id());
    assertThat(Map.copyOf(config.overrides())).doesNotContainKey(StreamsConfig.CLIENT_ID_CONFIG);
  }
}
