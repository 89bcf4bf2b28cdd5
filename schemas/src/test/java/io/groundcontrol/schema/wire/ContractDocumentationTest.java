package io.groundcontrol.schema.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.MissionCommand;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.StageInstruction;
import io.groundcontrol.schema.StageReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/** The README's fingerprint table ("The topic contract") says what the codecs write. */
class ContractDocumentationTest {
  @Test
  void theReadmeListsEachRecordsFingerprintAsWritten() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    for (Class<? extends SpecificRecord> type :
        List.of(StageInstruction.class, StageReport.class, MissionCommand.class, MissionEvent.class)) {
      String row = "| `" + type.getSimpleName() + "` | `" + AvroCodec.of(type).fingerprintHex() + "` |";
      assertThat(readme).as("README row for %s", type.getSimpleName()).contains(row);
    }
  }

  /** "Upgrading" shows what {@code groundcontrol --version} prints of the schemas. */
  @Test
  void theReadmeShowsThisBuildsSchemaSet() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    List<String> versions = SchemaSet.versions();

    assertThat(readme).contains("  record schemas " + SchemaSet.current().id() + ": " + String.join(", ",
        versions.subList(0, 3)) + ", ...\n");
  }
}
