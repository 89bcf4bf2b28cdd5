package io.groundcontrol.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.client.ApiClient;
import io.groundcontrol.schema.wire.TopicNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Which API a read command asks: the local `dev`'s only when it reads what that dev runs. */
class ApiOptionsTest {
  private static final String DEV_API = "http://127.0.0.1:8080/api/v1";

  @TempDir Path dataDir;
  private final List<String> reasons = new ArrayList<>();

  @Command
  static final class Read {
    @Mixin ClusterOptions cluster;
    @Mixin ApiOptions api;
  }

  /** A `dev` in another live process serves prefix {@code groundcontrol} on 127.0.0.1:9092. */
  private void devRuns() throws IOException {
    long otherProcess = ProcessHandle.current().parent().orElseThrow().pid();
    Files.writeString(dataDir.resolve("instance.properties"), "pid=" + otherProcess
        + "\nbootstrap.servers=127.0.0.1:9092\ntopic.prefix=" + TopicNames.DEFAULT.prefix() + "\napi.url=" + DEV_API + "\n");
    LocalApiKey.write(dataDir, "gc_dev_key");
  }

  private Optional<String> apiAsked(String... args) {
    Read read = new Read();
    new CommandLine(read).parseArgs(Stream.concat(Stream.of("--data-dir", dataDir.toString()), Stream.of(args))
        .toArray(String[]::new));
    return read.api.client(read.cluster, reasons::add).map(ApiClient::baseUrl);
  }

  @Test
  void aCommandOnTheDevsClusterAndPrefixAsksItsApi() throws IOException {
    devRuns();

    assertThat(apiAsked()).contains(DEV_API);
    assertThat(apiAsked("--bootstrap-servers", "127.0.0.1:9092")).contains(DEV_API);
    assertThat(reasons).isEmpty();
  }

  @Test
  void aCommandOnAnotherClusterOrPrefixDoesNotAskTheDevsApi() throws IOException {
    devRuns();

    assertThat(apiAsked("--bootstrap-servers", "prod:9092")).isEmpty();
    assertThat(apiAsked("--topic-prefix", "staging")).isEmpty();
    assertThat(apiAsked("--kafka-property", "bootstrap.servers=prod:9092")).isEmpty();
    assertThat(reasons).hasSize(3).allMatch(reason -> reason.startsWith("the `dev` on " + dataDir
        + " runs prefix 'groundcontrol' on 127.0.0.1:9092, not what this command reads"));
  }

  @Test
  void anApiGivenIsAskedWhateverTheCommandReads() throws IOException {
    devRuns();

    assertThat(apiAsked("--bootstrap-servers", "prod:9092", "--api-url", "http://prod:8080/api/v1"))
        .contains("http://prod:8080/api/v1");
  }

  @Test
  void withoutADevOrAnApiNoneIsAsked() {
    assertThat(apiAsked()).isEmpty();
    assertThat(reasons).containsExactly("no HTTP API configured (--api-url, --api-key) and no `dev` on " + dataDir);
  }
}
