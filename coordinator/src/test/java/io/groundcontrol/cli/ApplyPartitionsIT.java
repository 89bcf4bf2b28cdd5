package io.groundcontrol.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.schema.wire.TopicNames;
import io.groundcontrol.testing.KafkaBrokerExtension;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The apply commands create an installation's topics with the partition count it has, or with
 * --partitions when they are the first: a count picked there caps coordinator instances and worker
 * processes for good.
 */
class ApplyPartitionsIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @Test
  void theFirstApplyCreatesTheInstallationsTopicsWithPartitions() throws Exception {
    TopicNames names = new TopicNames(KAFKA.uniquePrefix("applyfirst"));

    assertThat(run(names, "plan", "apply", example("diamond.yaml"), "--partitions", "5")).isZero();

    for (String topic : List.of(names.missionCommands(), names.stageReports(), names.schedules(),
        names.instructions("ml"))) {
      assertThat(KAFKA.partitionCount(topic)).as(topic).isEqualTo(5);
    }
  }

  @Test
  void laterAppliesTakeTheCountTheInstallationHas() throws Exception {
    TopicNames names = new TopicNames(KAFKA.uniquePrefix("applylater"));
    KAFKA.createTopic(names.missionCommands(), 4);

    assertThat(run(names, "component", "apply", example("components.yaml"))).isZero();
    assertThat(run(names, "schedule", "apply", example("schedules.yaml"), "--partitions", "8")).isZero();
    assertThat(run(names, "plan", "apply", example("diamond.yaml"))).isZero();

    for (String topic : List.of(names.stageReports(), names.admissionRequests(), names.schedules(),
        names.scheduleCommands(), names.instructions("warehouse"), names.instructions("ml"))) {
      assertThat(KAFKA.partitionCount(topic)).as(topic).isEqualTo(4);
    }
  }

  private static int run(TopicNames names, String... args) {
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--bootstrap-servers";
    all[args.length + 1] = KAFKA.bootstrapServers();
    all[args.length + 2] = "--topic-prefix";
    all[args.length + 3] = names.prefix();
    return GroundcontrolCli.commandLine().execute(all);
  }

  private static String example(String file) {
    return Path.of("..", "examples", file).toString();
  }

}
