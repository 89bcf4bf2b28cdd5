package io.groundcontrol.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import jdk.jfr.FlightRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfilerTest {
  @Test
  void noDirectoryMeansNoProfiler() {
    assertThat(Profiler.to(null)).isNull();
  }

  @Test
  void aProfilerHasStartedTheFlightRecorderBeforeAnyWindowIsRecorded(@TempDir Path dir) {
    // Nothing else in the test JVM records; without the profiler's own start the recorder is not up.
    Profiler profiler = Profiler.to(dir.resolve("jfr"));

    assertThat(profiler).isNotNull();
    assertThat(dir.resolve("jfr")).isDirectory();
    assertThat(FlightRecorder.isInitialized()).as("the recorder started at once, not at the first window").isTrue();
    assertThat(FlightRecorder.getFlightRecorder().getRecordings()).as("no recording left open").isEmpty();
  }
}
