package io.groundcontrol.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.audit.CliRun;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command that writes, run while Kafka is away, gives up at the end of the tools' one wait for its
 * whole exchange with Kafka, the reads before its write included, in one line saying nothing was
 * sent. Before, its first read waited out the consumer's 30 s lookup (35-53 s measured for the
 * command), and the line named no write. How long a wait takes is checked with shorter waits
 * ({@code CommandsWhileKafkaIsAwayTest}): here, on a loaded machine, the command's own start-up adds
 * seconds.
 */
class CommandInAnOutageTest {
  @TempDir Path dataDir;

  @Test
  void aMissionCancelGivesUpAtTheToolsWaitSayingTheCommandWasNotSent() {
    // Nothing listens on port 1: every connection is refused, as with a broker that is down.
    CliRun run = CliRun.of("mission", "cancel", "m-1", "--bootstrap-servers", "127.0.0.1:1",
        "--data-dir", dataDir.toString());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    assertThat(run.err().lines().filter(line -> line.startsWith("error: "))).singleElement().asString()
        .startsWith("error: Kafka did not take the command for mission 'm-1' (no answer within 15 s); is the cluster "
            + "reachable? None of it was sent, so none of it can land later: sending it again is safe. No answer from "
            + "Kafka at 127.0.0.1:1 for User:ANONYMOUS over PLAINTEXT in time: check the address");
    assertThat(run.err()).doesNotContain("\tat ");
  }
}
