package io.groundcontrol.schema.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.StageReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;

class SchemaSetTest {
  private static final Schema EVENT = MissionEvent.getClassSchema();
  private static final Schema REPORT = StageReport.getClassSchema();

  @Test
  void theSameSchemasInAnyOrderAreOneSet() {
    assertThat(SchemaSet.of(List.of(EVENT, REPORT))).isEqualTo(SchemaSet.of(List.of(REPORT, EVENT)));
  }

  @Test
  void anOlderVersionOfOneSchemaIsAnotherSet() {
    Schema olderReport = SchemaHistory.of(StageReport.class).get(0);

    assertThat(SchemaSet.of(List.of(EVENT, olderReport))).isNotEqualTo(SchemaSet.of(List.of(EVENT, REPORT)));
  }

  @Test
  void theCurrentSetIsThatOfEveryWireTypesSchema() {
    assertThat(SchemaSet.current())
        .isEqualTo(SchemaSet.of(SchemaSet.WIRE_TYPES.stream().map(t -> SpecificData.get().getSchema(t)).toList()));
    assertThat(SchemaSet.current().id()).matches("[0-9a-f]{8}");
  }

  /** A record added to the schemas but not to the list would be left out of the id, and of the codec tests. */
  @Test
  void everyTopLevelSchemaFileIsAWireType() throws IOException {
    List<String> files;
    try (Stream<Path> listing = Files.list(Path.of("src", "main", "avro"))) {
      files = listing.map(path -> path.getFileName().toString()).filter(name -> name.endsWith(".avsc"))
          .map(name -> name.substring(0, name.length() - ".avsc".length())).sorted().toList();
    }
    List<String> types = SchemaSet.WIRE_TYPES.stream().map(Class::getSimpleName).toList();

    assertThat(types).containsAll(files);
  }

  @Test
  void versionsNameEachTypeWithItsNumberInTheHistory() {
    assertThat(SchemaSet.versions()).hasSize(SchemaSet.WIRE_TYPES.size())
        .contains("StageReport v" + SchemaHistory.of(StageReport.class).size())
        .allMatch(line -> line.matches("[A-Za-z]+ v[1-9][0-9]*"));
  }

  @Test
  void anIdIsEightHexDigits() {
    assertThatThrownBy(() -> new SchemaSet("1234")).hasMessage("Expected a schema set id of 8 hex digits, but got '1234'");
  }
}
