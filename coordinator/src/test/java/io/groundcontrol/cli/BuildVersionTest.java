package io.groundcontrol.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.wire.SchemaSet;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class BuildVersionTest {
  @Test
  void versionNamesTheReleaseAndTheRecordSchemas() {
    StringWriter out = new StringWriter();

    int exit = GroundcontrolCli.commandLine().setOut(new PrintWriter(out)).execute("--version");

    assertThat(exit).isZero();
    assertThat(out.toString().lines()).containsExactly("groundcontrol 0.1.0",
        "record schemas " + SchemaSet.current().id() + ": " + String.join(", ", SchemaSet.versions()));
    assertThat(out.toString()).contains("MissionEvent v", "StageReport v");
  }
}
