package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionFinished;
import io.groundcontrol.schema.StageDispatched;
import io.groundcontrol.testing.GroundcontrolFixture;
import io.groundcontrol.testing.KafkaBroker;
import io.groundcontrol.testing.KafkaBrokerExtension;
import io.groundcontrol.testing.KafkaBrokers;
import io.groundcontrol.testing.Poll;
import io.groundcontrol.testing.RunningKafkaBroker;
import io.groundcontrol.worker.api.StageResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An instruction topic deleted while the coordinator runs is created again, with the installation's
 * partition count, when a dispatch to it finds it missing; the dispatch goes through once, and the
 * missions of other components on the same stream thread go on. Before, the thread waited for the
 * topic for ever (Kafka Streams sets {@code delivery.timeout.ms} to its maximum under exactly-once, and
 * the broker does not create topics on use), every mission on it with it, and nothing was logged.
 * It is created again only once the component's workers let go of its partitions: one that held
 * them read the new topic from its old position, past the instructions written below.
 */
class DeletedInstructionTopicIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  /** Missions of the other component, started with alpha's while its topic is missing. */
  private static final List<String> BETAS = IntStream.range(1, 6).mapToObj(i -> "m-b" + i).toList();
  private GroundcontrolFixture groundcontrol;

  @AfterEach
  void tearDown() {
    if (groundcontrol != null) {
      groundcontrol.close();
    }
  }

  @Test
  void aDeletedInstructionTopicIsCreatedAgainAndOtherComponentsGoOn() throws Exception {
    groundcontrol = new GroundcontrolFixture(KAFKA, "deletedinstr").startCoordinator();
    String alpha = runAlphaAndBeta();

    KAFKA.admin().deleteTopics(List.of(alpha)).all().get();
    long deleted = System.nanoTime();
    startAlphaAndBetas();
    Map<String, List<MissionEvent>> betaEnds = groundcontrol.awaitEnd(BETAS, Duration.ofSeconds(60));
    System.out.printf("beta missions ended %.1f s after the deletion%n", (System.nanoTime() - deleted) / 1e9);
    Map<String, List<MissionEvent>> alphaEnd = groundcontrol.awaitEnd(List.of("m-a1"), Duration.ofSeconds(60));
    System.out.printf("alpha mission ended %.1f s after the deletion%n", (System.nanoTime() - deleted) / 1e9);

    assertEndedOnce(betaEnds, alphaEnd, KAFKA);
  }

  /**
   * A worker's consumer that has not seen the deletion keeps its partitions and its read positions;
   * given the new topic under the same name, it read on from there, past the instructions written
   * below (the held RUN first of all). The coordinator now waits for the component's group to let go
   * of the partitions before it creates the topic again. Here the group's one member reads the first
   * RUN and then stops polling (its heartbeats go on, so it stays a member holding both partitions),
   * and the second RUN is held for the partition of the first: until it polls again, the topic stays
   * deleted; then it reads the held RUN from the new topic's start (without the wait it never does).
   */
  @Test
  void aDeletedTopicIsCreatedAgainOnlyOnceTheComponentsWorkersLetGoOfItsPartitions() throws Exception {
    withLog(logged -> {
      try (Consumer<String, byte[]> holder = groupMember("heldclassic", "classic")) {
        HeldRun run = deleteWhileHolding(holder, "heldclassic");
        String waiting = "waiting up to 20 s for the workers of heldclassic";
        Poll.until(() -> logged.get().contains(waiting), Duration.ofSeconds(30),
            "the coordinator waits for the workers of heldclassic");
        assertThat(KAFKA.admin().listTopics().names().get()).as("topics while the holder holds its partitions")
            .doesNotContain(run.topic());

        assertThat(readRun(holder, run.missionId())).isEqualTo(run.partition());
        assertThat(logged.get()).contains("Created again the instruction topic " + run.topic())
            .contains("once the workers of heldclassic held none of its partitions");
      }
    });
  }

  /**
   * A member of a group under the consumer protocol (the Java SDK's {@code group.protocol=consumer})
   * knows partitions by topic id: one that had not seen the deletion reads the topic created again
   * from its start, though it did not poll until then. (Its group, described, names no partition
   * of a deleted topic, so the coordinator does not wait for it.)
   */
  @Test
  void aConsumerProtocolWorkerReadsATopicCreatedAgainFromItsStartThoughItHadNotSeenTheDeletion() throws Exception {
    withLog(logged -> {
      try (Consumer<String, byte[]> holder = groupMember("heldconsumer", "consumer")) {
        HeldRun run = deleteWhileHolding(holder, "heldconsumer");
        Poll.until(() -> logged.get().contains("Created again the instruction topic " + run.topic()),
            Duration.ofSeconds(30), run.topic() + " created again");

        assertThat(readRun(holder, run.missionId())).isEqualTo(run.partition());
      }
    });
  }

  /**
   * A worker whose read-ahead is full pauses its partitions and fetches nothing, so no fetch error
   * tells it of the deletion: its next metadata refresh does. At Kafka's default (5 min) the
   * coordinator waited its 20 s out and created the topic while the worker still held it; the SDKs
   * refresh every 10 s, and the group lets go in time.
   */
  @Test
  void aPausedWorkerLetsGoOfADeletedTopicAtItsNextMetadataRefresh() throws Exception {
    withLog(logged -> {
      try (Consumer<String, byte[]> holder = groupMember("heldpaused", "classic")) {
        HeldRun run = deleteWhileHolding(holder, "heldpaused", () -> {
          holder.pause(holder.assignment());
          // Longer than fetch.max.wait.ms (500 ms): the fetch under way at the pause is answered before the deletion.
          holder.poll(Duration.ofSeconds(1));
        });
        Poll.until(() -> {
          holder.poll(Duration.ofMillis(100));
          return logged.get().contains("Created again the instruction topic " + run.topic());
        }, Duration.ofSeconds(40), run.topic() + " created again");

        assertThat(logged.get()).contains("waiting up to 20 s for the workers of heldpaused")
            .contains("once the workers of heldpaused held none of its partitions");
        holder.resume(holder.assignment());
        assertThat(readRun(holder, run.missionId())).isEqualTo(run.partition());
      }
    });
  }

  /** A RUN held for a deleted topic: its mission, the topic, and its partition, the one {@link #deleteWhileHolding} read. */
  private record HeldRun(String missionId, String topic, int partition) { }

  /**
   * Has {@code holder}, the one member of {@code component}'s group, read a first RUN, deletes the
   * topic, and starts a mission whose RUN goes to the same partition; the holder then stops polling.
   */
  private HeldRun deleteWhileHolding(Consumer<String, byte[]> holder, String component) throws Exception {
    return deleteWhileHolding(holder, component, () -> { });
  }

  /** As above, running {@code beforeDeletion} once the first RUN is read. */
  private HeldRun deleteWhileHolding(Consumer<String, byte[]> holder, String component, Runnable beforeDeletion)
      throws Exception {
    groundcontrol = new GroundcontrolFixture(KAFKA, "heldinstr").startCoordinator();
    groundcontrol.apply(TestPlan.named("pa").stage("a", component).build());
    String topic = groundcontrol.topics().instructions(component);
    holder.subscribe(List.of(topic));
    Poll.until(() -> holder.poll(Duration.ofMillis(100)).isEmpty() && holder.assignment().size() == 2,
        Duration.ofSeconds(30), "the holder is assigned both partitions of " + topic);
    groundcontrol.start("m-h0", "pa");
    int partition = readRun(holder, "m-h0");
    String held = missionOnPartition(partition);
    beforeDeletion.run();
    KAFKA.admin().deleteTopics(List.of(topic)).all().get();
    groundcontrol.start(held, "pa");
    return new HeldRun(held, topic, partition);
  }

  /** A test given what was logged so far; the installation is closed before the log is printed. */
  private interface LoggedTest {
    void run(Supplier<String> logged) throws Exception;
  }

  private void withLog(LoggedTest test) throws Exception {
    PrintStream stderr = System.err;
    ByteArrayOutputStream logged = new ByteArrayOutputStream();
    System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
    try {
      test.run(() -> logged.toString(StandardCharsets.UTF_8));
    } finally {
      tearDown();
      groundcontrol = null;
      System.setErr(stderr);
      stderr.print(logged.toString(StandardCharsets.UTF_8));
    }
  }

  /**
   * A cluster that refuses to create the topic again (a creation policy here; a missing Create ACL
   * alike) gets one warning naming it and why, however often it is tried; once it allows it, the
   * topic is created and the held instructions go out once.
   */
  @Test
  void aRefusedCreationIsOneWarningAndTheWorkGoesOnOnceAllowed() throws Exception {
    try {
      onBrokerOfItsOwn(Map.of("create.topic.policy.class.name", RefusingTopicPolicy.class.getName()),
          this::refusedThenAllowed);
    } finally {
      RefusingTopicPolicy.REFUSED.clear();
    }
  }

  /**
   * A broker that creates topics on use (Kafka's default, {@code auto.create.topics.enable=true})
   * creates a deleted instruction topic again at the producer's next metadata request, before the
   * coordinator's check, with its own partition count. The producer holds instructions for the
   * partitions the topic had: before, a commit waited for them for ever, every mission on the thread
   * with it. Now the topic gets the installation's count back, with one warning, and the work goes on.
   *
   * <p>The broker creates it within milliseconds (the worker's consumer asks for it at once), but the
   * watch may check in between and create it first, with the installation's count, and then this test
   * failed: here the policy refuses the watch that creation, so that every run tests the broker's.
   */
  @Test
  void aTopicTheBrokerCreatedOnUseGetsTheInstallationsCountBackAndTheThreadGoesOn() throws Exception {
    try {
      onBrokerOfItsOwn(Map.of("auto.create.topics.enable", "true", "num.partitions", "1",
          "create.topic.policy.class.name", RefusingTopicPolicy.class.getName()), this::createdOnUse);
    } finally {
      RefusingTopicPolicy.ONLY_ON_USE.clear();
    }
  }

  private void createdOnUse(RunningKafkaBroker kafka, Supplier<String> logged) throws Exception {
    groundcontrol = new GroundcontrolFixture(kafka, "autocreated").startCoordinator();
    String alpha = runAlphaAndBeta();
    RefusingTopicPolicy.ONLY_ON_USE.add(alpha);
    kafka.admin().deleteTopics(List.of(alpha)).all().get();
    startAlphaAndBetas();
    Map<String, List<MissionEvent>> betaEnds = groundcontrol.awaitEnd(BETAS, Duration.ofSeconds(60));
    // Its dispatch was committed; the worker sees the added partition when its consumer next
    // refreshes its metadata (metadata.max.age.ms, 5 min), which this test does not wait for.
    groundcontrol.awaitEvent("m-a1", StageDispatched.class, Duration.ofSeconds(30));

    BETAS.forEach(id -> assertThat(last(betaEnds.get(id))).as(id).isInstanceOf(MissionFinished.class));
    assertThat(logged.get().lines().filter(line -> line.contains("instruction topic " + alpha + " was created"))
        .toList()).singleElement().asString().contains("with 1 partitions")
        .contains("added partitions up to the installation's 2");
    assertThat(kafka.admin().describeTopics(List.of(alpha)).allTopicNames().get().get(alpha).partitions())
        .as("the installation's partition count").hasSize(2);
  }

  private void refusedThenAllowed(RunningKafkaBroker kafka, Supplier<String> logged) throws Exception {
    groundcontrol = new GroundcontrolFixture(kafka, "refusedinstr").startCoordinator();
    String alpha = runAlphaAndBeta();
    RefusingTopicPolicy.REFUSED.add(alpha);
    int refusalsBefore = RefusingTopicPolicy.REFUSALS.get();

    kafka.admin().deleteTopics(List.of(alpha)).all().get();
    startAlphaAndBetas();
    Poll.until(() -> RefusingTopicPolicy.REFUSALS.get() >= refusalsBefore + 3, Duration.ofSeconds(60),
        "three refused creations of " + alpha);
    RefusingTopicPolicy.REFUSED.remove(alpha);
    Map<String, List<MissionEvent>> betaEnds = groundcontrol.awaitEnd(BETAS, Duration.ofSeconds(60));
    Map<String, List<MissionEvent>> alphaEnd = groundcontrol.awaitEnd(List.of("m-a1"), Duration.ofSeconds(60));

    assertEndedOnce(betaEnds, alphaEnd, kafka);
    List<String> refusals = logged.get().lines()
        .filter(line -> line.contains("Could not create again the instruction topic " + alpha)).toList();
    assertThat(refusals).singleElement().asString().contains("the test's policy refuses " + alpha);
  }

  /** A test on a broker of its own, given what was logged so far; the installation is closed before the broker. */
  private interface OwnBrokerTest {
    void run(RunningKafkaBroker kafka, Supplier<String> logged) throws Exception;
  }

  private void onBrokerOfItsOwn(Map<String, String> brokerProperties, OwnBrokerTest test) throws Exception {
    try (RunningKafkaBroker kafka = KafkaBrokers.embedded(brokerProperties)) {
      withLog(logged -> test.run(kafka, logged));
    }
  }

  /** Applies a plan on component alpha and one on beta, runs one mission of each; returns alpha's topic. */
  private String runAlphaAndBeta() {
    groundcontrol.apply(TestPlan.named("pa").stage("a", "alpha").build());
    groundcontrol.apply(TestPlan.named("pb").stage("b", "beta").build());
    groundcontrol.worker("alpha", 1, context -> StageResult.finished());
    groundcontrol.worker("beta", 2, context -> StageResult.finished());
    groundcontrol.start("m-a0", "pa");
    groundcontrol.start("m-b0", "pb");
    groundcontrol.awaitEnd(List.of("m-a0", "m-b0"), Duration.ofSeconds(60));
    return groundcontrol.topics().instructions("alpha");
  }

  private void startAlphaAndBetas() {
    groundcontrol.start("m-a1", "pa");
    BETAS.forEach(id -> groundcontrol.start(id, "pb"));
  }

  /** Every mission finished, the one of alpha dispatched once, to a topic of the installation's partition count. */
  private void assertEndedOnce(Map<String, List<MissionEvent>> betaEnds, Map<String, List<MissionEvent>> alphaEnd,
      KafkaBroker kafka) throws Exception {
    BETAS.forEach(id -> assertThat(last(betaEnds.get(id))).as(id).isInstanceOf(MissionFinished.class));
    assertThat(last(alphaEnd.get("m-a1"))).isInstanceOf(MissionFinished.class);
    assertThat(alphaEnd.get("m-a1").stream().filter(e -> e.getEvent() instanceof StageDispatched))
        .as("dispatched once").hasSize(1);
    String alpha = groundcontrol.topics().instructions("alpha");
    assertThat(kafka.admin().describeTopics(List.of(alpha)).allTopicNames().get().get(alpha).partitions())
        .as("the installation's partition count").hasSize(2);
  }

  /** A consumer in {@code group} as a worker's, whose heartbeats keep it a member while it does not poll. */
  private static Consumer<String, byte[]> groupMember(String group, String protocol) {
    return new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, group,
        ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol,
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 300_000,
        ConsumerConfig.METADATA_MAX_AGE_CONFIG, 10_000), // the Java SDK's own
        new StringDeserializer(), new ByteArrayDeserializer());
  }

  /** Polls until the RUN of {@code missionId} is read; returns its partition. */
  private static int readRun(Consumer<String, byte[]> consumer, String missionId) {
    int[] partition = {-1};
    Poll.until(() -> {
      consumer.poll(Duration.ofMillis(100)).forEach(record -> {
        if (record.key().equals(missionId)) {
          partition[0] = record.partition();
        }
      });
      return partition[0] >= 0;
    }, Duration.ofSeconds(60), "the RUN of " + missionId + " read");
    return partition[0];
  }

  /** A mission id whose instructions go to {@code partition} of a 2-partition instruction topic. */
  private static String missionOnPartition(int partition) {
    return IntStream.range(1, 100).mapToObj(i -> "m-h" + i)
        .filter(id -> Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % 2 == partition)
        .findFirst().orElseThrow();
  }

  private static Object last(List<MissionEvent> events) {
    return events.get(events.size() - 1).getEvent();
  }
}
