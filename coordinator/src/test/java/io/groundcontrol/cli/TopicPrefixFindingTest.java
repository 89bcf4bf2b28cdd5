package io.groundcontrol.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.audit.CliRun;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Finding (filefuzz): a bad --topic-prefix is a stack trace, not one line (no broker needed). */
class TopicPrefixFindingTest {
  @Test
  void aBadTopicPrefixIsOneLine() {
    CliRun run = CliRun.of("plan", "apply", Path.of("..", "examples", "diamond.yaml").toString(),
        "--topic-prefix", "my prefix", "--bootstrap-servers", "127.0.0.1:1");

    assertThat(run.err()).as(run.toString()).doesNotContain("\tat ");
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
  }
}
