package io.groundcontrol.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.groundcontrol.audit.CliRun;
import io.groundcontrol.coordinator.Coordinator;
import io.groundcontrol.coordinator.CoordinatorConfig;
import io.groundcontrol.coordinator.SchemaSetTag;
import io.groundcontrol.coordinator.TopicSetup;
import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.wire.SchemaSet;
import io.groundcontrol.testing.GroundcontrolFixture;
import io.groundcontrol.testing.KafkaBrokerExtension;
import io.groundcontrol.testing.Poll;
import io.groundcontrol.testing.TestDirs;
import io.groundcontrol.worker.api.StageResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two installations on one cluster, told apart by their topic prefix, never share a Kafka Streams
 * group: in one, both said RUNNING and neither's missions advanced. `coordinator` takes
 * {@code <topic prefix>-coordinator} by default, and refuses in one line an id whose group holds
 * another installation, or a default id when this installation's state is under the former default.
 * Nor does it join instances of a build that writes other record schemas.
 */
class ApplicationIdIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final Duration START = Duration.ofSeconds(60);
  /**
   * The older build's member never leaves here: the refusal is checked after a second's wait, not the
   * 12 s a stopped instance's session takes to end (the wait is {@code OtherBuildCheckTest}'s).
   */
  private static final String OTHER_BUILD_WAIT_MS = "1000";

  private GroundcontrolFixture first;
  private GroundcontrolFixture second;

  @AfterEach
  void tearDown() {
    for (GroundcontrolFixture installation : new GroundcontrolFixture[] {first, second}) {
      if (installation != null) {
        installation.close();
      }
    }
  }

  @Test
  void aSecondInstallationIsRefusedTheApplicationIdTheFirstRunsUnder() {
    first = new GroundcontrolFixture(KAFKA, "teama").apply(TestPlan.diamond().build());
    second = new GroundcontrolFixture(KAFKA, "teamb");
    String taken = CoordinatorConfig.defaultApplicationId(second.topics());
    Coordinator running = Coordinator.start(first.coordinatorConfig().withTopics(first.topics(), taken),
        new TopicSetup(2, (short) 1), START);
    try {
      runOneMission(first, "before");

      CliRun refused = coordinatorWithoutApplicationId(second);

      assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
      assertThat(errors(refused)).containsExactly("error: Application id " + taken + " is taken by the installation "
          + "with --topic-prefix " + first.topics().prefix() + " (its group consumes "
          + first.topics().missionCommands() + "): two installations under one application id stall each other and "
          + "share their stores; give this one another --application-id");
      first.start("after", "diamond");
      first.awaitEnd(List.of("after"), Duration.ofSeconds(30));
    } finally {
      running.close();
    }
  }

  @Test
  void anInstallationThatRanUnderTheFormerDefaultIdIsToldToKeepIt() {
    first = new GroundcontrolFixture(KAFKA, "legacy").apply(TestPlan.diamond().build());
    Coordinator former = Coordinator.start(GroundcontrolFixture.failingOverQuickly(
        first.coordinatorConfig().withTopics(first.topics(), ApplicationIdCheck.FORMER_DEFAULT)),
        new TopicSetup(2, (short) 1), START);
    try {
      runOneMission(first, "before");
    } finally {
      former.close();
    }
    try {
      CliRun refused = coordinatorWithoutApplicationId(first);

      assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
      assertThat(errors(refused)).containsExactly("error: This installation (--topic-prefix " + first.topics().prefix()
          + ") ran under application id groundcontrol-coordinator, the default before 2026-12-06, and its missions, "
          + "queues and schedules are stored under that id; the default is now " + first.topics().prefix()
          + "-coordinator: pass --application-id groundcontrol-coordinator to keep them");
    } finally {
      forgetFormerDefault();
    }
  }

  @Test
  void anInstallationThatSharedTheFormerDefaultIsToldHowToLeaveItForItsOwnId() throws Exception {
    first = new GroundcontrolFixture(KAFKA, "sharedone").apply(TestPlan.diamond().build());
    second = new GroundcontrolFixture(KAFKA, "sharedtwo").apply(TestPlan.diamond().build());
    try {
      for (GroundcontrolFixture installation : List.of(first, second)) {
        Coordinator former = Coordinator.start(GroundcontrolFixture.failingOverQuickly(installation.coordinatorConfig()
            .withTopics(installation.topics(), ApplicationIdCheck.FORMER_DEFAULT)), new TopicSetup(2, (short) 1), START);
        try {
          // Ids of their own: the stores they share would take a second "before" for the first's.
          runOneMission(installation, "before-" + installation.topics().prefix());
        } finally {
          former.close();
        }
        awaitNoMembers();
      }

      CliRun refused = coordinatorWithoutApplicationId(second);

      assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
      String line = errors(refused).get(0);
      assertThat(line).startsWith("error: This installation (--topic-prefix " + second.topics().prefix() + ") ran under "
          + "application id groundcontrol-coordinator, the default of every installation before 2026-12-06, together "
          + "with the one with --topic-prefix " + first.topics().prefix() + ", so its missions, queues and schedules "
          + "there were never consistent: remove its offsets from that group (kafka-consumer-groups "
          + "--bootstrap-server " + KAFKA.bootstrapServers() + " --delete-offsets --group groundcontrol-coordinator "
          + "--topic ");
      // As told (the command line's topics), then the installation may start under its own id.
      String command = line.substring(line.indexOf("(kafka-consumer-groups") + 1, line.indexOf(") and start"));
      List<String> topics = List.of(command.split(" --topic ")).subList(1, command.split(" --topic ").length);
      assertThat(topics).contains(second.topics().missionCommands()).allMatch(t -> t.startsWith(second.topics().prefix()));
      Set<TopicPartition> partitions = new HashSet<>();
      KAFKA.admin().listConsumerGroupOffsets(ApplicationIdCheck.FORMER_DEFAULT).partitionsToOffsetAndMetadata().get()
          .keySet().stream().filter(p -> topics.contains(p.topic())).forEach(partitions::add);
      KAFKA.admin().deleteConsumerGroupOffsets(ApplicationIdCheck.FORMER_DEFAULT, partitions).all().get();
      assertThat(ApplicationIdCheck.check(KAFKA.admin(), second.topics(),
          CoordinatorConfig.defaultApplicationId(second.topics()), true, KAFKA.bootstrapServers()).refusal()).isEmpty();
    } finally {
      forgetFormerDefault();
    }
  }

  @Test
  void eachMainConsumerOfACoordinatorNamesItsBuildsSchemas() throws Exception {
    first = new GroundcontrolFixture(KAFKA, "tagged").apply(TestPlan.diamond().build());
    String group = CoordinatorConfig.defaultApplicationId(first.topics());
    Coordinator running = Coordinator.start(first.coordinatorConfig().withTopics(first.topics(), group),
        new TopicSetup(2, (short) 1), START);
    try {
      List<String> clientIds = KAFKA.admin().describeConsumerGroups(List.of(group)).all().get().get(group).members()
          .stream().map(MemberDescription::clientId).toList();
      assertThat(clientIds).isNotEmpty().allSatisfy(clientId ->
          assertThat(SchemaSetTag.ofMember(clientId)).as(clientId).contains(SchemaSetTag.Schemas.own(SchemaSet.current())));
    } finally {
      running.close();
    }
  }

  @Test
  void aCoordinatorIsRefusedWhileAnInstanceOfAnotherBuildRuns() {
    first = new GroundcontrolFixture(KAFKA, "builds").apply(TestPlan.diamond().build());
    String group = CoordinatorConfig.defaultApplicationId(first.topics());
    // An instance of a build from before the tag, as Kafka describes its main consumer: a member of the
    // group whose client id names no schemas.
    try (KafkaConsumer<byte[], byte[]> older = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG, group,
        ConsumerConfig.CLIENT_ID_CONFIG, group + "-5c2d4e1f-StreamThread-1-consumer"),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      older.subscribe(List.of(first.topics().missionCommands()));
      Poll.until(() -> {
        older.poll(Duration.ofMillis(100));
        return !older.assignment().isEmpty();
      }, Duration.ofSeconds(60), "the older build's member in the group");

      CliRun refused = coordinatorWithoutApplicationId(first, "--other-build-wait-ms", OTHER_BUILD_WAIT_MS);

      assertRefusedForAnOlderBuild(refused, group);
    }
  }

  @Test
  void aCoordinatorUnderTheStreamsProtocolIsRefusedWhileAnInstanceOfAnotherBuildRuns() {
    first = new GroundcontrolFixture(KAFKA, "streamsproto").apply(TestPlan.diamond().build());
    String group = CoordinatorConfig.defaultApplicationId(first.topics());
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(first.topics().missionCommands()).foreach((key, value) -> { });
    Properties props = new Properties();
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, group);
    props.put(StreamsConfig.CLIENT_ID_CONFIG, group + "-5c2d4e1f");
    props.put(StreamsConfig.GROUP_PROTOCOL_CONFIG, "streams");
    props.put(StreamsConfig.STATE_DIR_CONFIG, TestDirs.create("gc-older-build-").toString());
    props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
    props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
    try (KafkaStreams older = new KafkaStreams(builder.build(), props)) {
      older.start();
      Poll.until(() -> older.state() == KafkaStreams.State.RUNNING, Duration.ofSeconds(60), "the older build running");

      CliRun refused = coordinatorWithoutApplicationId(
          first, "--other-build-wait-ms", OTHER_BUILD_WAIT_MS, "--set", "group.protocol=streams");

      assertRefusedForAnOlderBuild(refused, group);
    }
  }

  private static void assertRefusedForAnOlderBuild(CliRun refused, String group) {
    assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
    assertThat(errors(refused)).singleElement().asString().startsWith("error: Coordinator instances of another "
        + "build are running in group " + group + ": /127.0.0.1 (schemas not named: a build from before 2026-12-07);"
        + " this instance writes schemas " + SchemaSet.current().id() + ", ");
    assertThat(refused.err()).contains("warning: Group " + group + " has members of another build");
  }

  /**
   * A closed coordinator's static member stays in the group until its session expires (3 s here:
   * {@link GroundcontrolFixture#failingOverQuickly}).
   */
  private static void awaitNoMembers() {
    Poll.until(() -> {
      try {
        return KAFKA.admin().describeConsumerGroups(List.of(ApplicationIdCheck.FORMER_DEFAULT)).all().get()
            .get(ApplicationIdCheck.FORMER_DEFAULT).members().isEmpty();
      } catch (ExecutionException | InterruptedException e) {
        return false;
      }
    }, Duration.ofSeconds(60), "the former default's group empty");
  }

  private static void runOneMission(GroundcontrolFixture installation, String id) {
    installation.worker("warehouse", 2, context -> StageResult.finished());
    installation.worker("ml", 2, context -> StageResult.finished());
    installation.start(id, "diamond");
    installation.awaitEnd(List.of(id), Duration.ofSeconds(60));
  }

  /** Without the check this coordinator would start and run until stopped: the timeout is the failure. */
  private static CliRun coordinatorWithoutApplicationId(GroundcontrolFixture installation, String... more) {
    List<String> args = new ArrayList<>(List.of("coordinator",
        "--bootstrap-servers", KAFKA.bootstrapServers(), "--topic-prefix", installation.topics().prefix(),
        "--state-dir", TestDirs.create("gc-appid-").toString(), "--partitions", "2",
        "--api-bind", "127.0.0.1", "--api-port", "0", "--advertised-host", "127.0.0.1"));
    args.addAll(List.of(more));
    return assertTimeoutPreemptively(Duration.ofSeconds(90), () -> CliRun.of(args.toArray(String[]::new)));
  }

  private static List<String> errors(CliRun run) {
    return run.err().lines().filter(line -> line.startsWith("error: ")).toList();
  }

  /**
   * The broker is shared with other tests: the former default's group and stores go. Best effort, so
   * that a failure above is the one reported.
   */
  private static void forgetFormerDefault() {
    Admin admin = KAFKA.admin();
    try {
      Poll.until(() -> {
        try {
          admin.deleteConsumerGroups(List.of(ApplicationIdCheck.FORMER_DEFAULT)).all().get();
          return true;
        } catch (ExecutionException | InterruptedException e) {
          return false;
        }
      }, Duration.ofSeconds(30), "the group " + ApplicationIdCheck.FORMER_DEFAULT + " deleted");
      Set<String> topics = admin.listTopics().names().get();
      admin.deleteTopics(topics.stream().filter(t -> t.startsWith(ApplicationIdCheck.FORMER_DEFAULT + "-")).toList())
          .all().get();
    } catch (AssertionError | ExecutionException e) {
      System.err.println("Left group and topics of " + ApplicationIdCheck.FORMER_DEFAULT + " behind: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
