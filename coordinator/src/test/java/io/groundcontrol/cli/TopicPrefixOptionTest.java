package io.groundcontrol.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.audit.CliRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A bad topic prefix is a usage error of one line, on every command that takes one; no broker is reached. */
class TopicPrefixOptionTest {
  private static final String PLAN = Path.of("..", "examples", "diamond.yaml").toString();

  @ParameterizedTest
  @ValueSource(strings = {"plan apply PLAN --topic-prefix", "schedule list --topic-prefix", "coordinator --topic-prefix",
      "replay inputs --mission m1 --to-prefix"})
  void aBadPrefixIsOneLineAndExit2(String command) {
    List<String> args = new ArrayList<>(List.of(command.replace("PLAN", PLAN).split(" ")));
    String option = args.get(args.size() - 1);
    args.addAll(List.of("my prefix", "--bootstrap-servers", "127.0.0.1:1"));

    CliRun run = CliRun.of(args.toArray(String[]::new));

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.err()).as(run.toString()).doesNotContain("\tat ")
        .startsWith("Invalid value for option '" + option + "': Expected a topic prefix matching "
            + "[a-zA-Z0-9][a-zA-Z0-9._-]{0,99}, but got 'my prefix'");
  }
}
