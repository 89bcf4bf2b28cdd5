package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.groundcontrol.audit.CliRun;
import io.groundcontrol.mission.EventAppliers;
import io.groundcontrol.mission.Mission;
import io.groundcontrol.mission.MissionLimits;
import io.groundcontrol.mission.StageInstance;
import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.InputRejected;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.StageDispatched;
import io.groundcontrol.schema.StageFailed;
import io.groundcontrol.schema.StageFinished;
import io.groundcontrol.schema.StageStatus;
import io.groundcontrol.testing.CliProcess;
import io.groundcontrol.testing.GroundcontrolFixture;
import io.groundcontrol.testing.KafkaBrokerExtension;
import io.groundcontrol.testing.TestDirs;
import io.groundcontrol.worker.api.StageResult;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code list_ids -> score (foreach over 100,000 ids, chunk_size 100, max_parallel 20) -> publish}
 * on a real broker: every id scored exactly once, publish gets the 1,000 chunk outputs in order;
 * and the same with the coordinator killed with SIGKILL in the middle of the fan-out.
 */
class FanOutIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int IDS = 100_000;
  private static final int CHUNK_SIZE = 100;
  private static final int CHUNKS = IDS / CHUNK_SIZE;
  private static final int MAX_PARALLEL = 20;
  /** 100,000 ids as JSON take about 590 KB: more than the default outputs limit of 64 KiB, within the highest. */
  private static final int MAX_OUTPUT_BYTES = MissionLimits.MAX_MAX_OUTPUT_BYTES;

  private GroundcontrolFixture groundcontrol;
  private CliProcess child;
  private final AtomicIntegerArray timesScored = new AtomicIntegerArray(IDS);
  private final AtomicInteger chunksScored = new AtomicInteger();
  private final AtomicReference<String> published = new AtomicReference<>();

  @AfterEach
  void tearDown() {
    if (child != null) {
      child.kill();
    }
    if (groundcontrol != null) {
      groundcontrol.close();
    }
  }

  private static TestPlan plan() {
    return TestPlan.named("scoring")
        .stage("list_ids", "lists")
        .stage("score", "scorer", java.util.Map.of("ids", "\"${chunk.items}\""), "list_ids")
        .foreach("${stages.list_ids.outputs.ids}", CHUNK_SIZE, MAX_PARALLEL)
        .stage("publish", "publisher", java.util.Map.of("firsts", "\"${stages.score.outputs.first}\""), "score");
  }

  private void workers() {
    String ids = IntStream.range(0, IDS).mapToObj(Integer::toString).collect(Collectors.joining(",", "[", "]"));
    groundcontrol.worker("lists", 1, context -> StageResult.finished().output("ids", ids));
    groundcontrol.worker("scorer", MAX_PARALLEL, context -> {
      JsonNode items = JSON.readTree(context.requireParam("ids"));
      items.forEach(id -> timesScored.incrementAndGet(id.intValue()));
      chunksScored.incrementAndGet();
      return StageResult.finished().output("first", items.get(0).toString()).output("n", Integer.toString(items.size()));
    });
    groundcontrol.worker("publisher", 1, context -> {
      published.set(context.requireParam("firsts"));
      return StageResult.finished();
    });
  }

  @Test
  void aHundredThousandIdsInAThousandChunksAreEachScoredOnceAndPublishedInChunkOrder() {
    groundcontrol = new GroundcontrolFixture(KAFKA, "fanout").maxOutputBytes(MAX_OUTPUT_BYTES).startCoordinator();
    groundcontrol.apply(plan().build());
    workers();

    groundcontrol.start("m-fan", "scoring");
    List<MissionEvent> log = groundcontrol.awaitEnd(List.of("m-fan"), Duration.ofMinutes(5)).get("m-fan");

    assertEveryIdScoredOnceAndPublishedInOrder(log);
    CliRun replay = CliRun.of("replay", "--verify", "--bootstrap-servers", groundcontrol.bootstrapServers(),
        "--topic-prefix", groundcontrol.topics().prefix());
    assertThat(replay.exitCode()).as(replay.toString()).isZero();
    assertThat(replay.out()).contains("no differences");
  }

  @Test
  void aCoordinatorKilledDuringTheFanOutLosesNothingAndDispatchesNoChunkAttemptTwice() throws Exception {
    groundcontrol = new GroundcontrolFixture(KAFKA, "fanout-kill").maxOutputBytes(MAX_OUTPUT_BYTES);
    child = CliProcess.start(groundcontrol.coordinatorCommandFailingOverQuickly(TestDirs.create("gc-child-state-")));
    child.awaitOutput("running against", CliProcess.START);
    groundcontrol.apply(plan().build());
    workers();

    groundcontrol.start("m-fan", "scoring");
    try {
      groundcontrol.awaitEventCount(StageFinished.class, 300, Duration.ofMinutes(3));
    } catch (AssertionError e) {
      String log;
      try {
        log = groundcontrol.awaitEnd(List.of("m-fan"), Duration.ofSeconds(5)).toString();
      } catch (AssertionError open) {
        log = open.getMessage();
      }
      throw new AssertionError(e.getMessage() + "; the log: " + log.substring(0, Math.min(3000, log.length()))
          + "; the coordinator said:\n" + child.output(), e);
    }
    child.kill();
    int scoredAtKill = chunksScored.get();
    groundcontrol.startCoordinator(TestDirs.create("gc-restarted-state-"));
    List<MissionEvent> log = groundcontrol.awaitEnd(List.of("m-fan"), Duration.ofMinutes(5)).get("m-fan");

    System.out.printf("coordinator killed after %d of %d chunks were scored; the mission finished after restart%n",
        scoredAtKill, CHUNKS);
    assertThat(scoredAtKill).as("killed during the fan-out").isBetween(1, CHUNKS - 1);
    assertEveryIdScoredOnceAndPublishedInOrder(log);
  }

  private void assertEveryIdScoredOnceAndPublishedInOrder(List<MissionEvent> log) {
    Mission mission = new EventAppliers().replay(log);
    assertThat(mission.status()).isEqualTo(MissionStatus.FINISHED);
    assertThat(mission.stage("score").orElseThrow().fanOut().orElseThrow().done()).isEqualTo(CHUNKS);
    for (int id = 0; id < IDS; id++) {
      assertThat(timesScored.get(id)).as("times id %d was scored", id).isEqualTo(1);
    }
    assertThat(published.get()).isEqualTo(
        IntStream.range(0, CHUNKS).mapToObj(k -> Integer.toString(k * CHUNK_SIZE)).collect(Collectors.joining(",", "[", "]")));

    Set<String> attempts = new HashSet<>();
    int out = 0;
    int mostOut = 0;
    for (MissionEvent event : log) {
      Object e = event.getEvent();
      assertThat(e).as("nothing rejected, nothing failed").isNotInstanceOfAny(InputRejected.class, StageFailed.class);
      if (e instanceof StageDispatched d) {
        assertThat(attempts.add(d.getStage() + "#" + d.getAttempt())).as("dispatched once: " + d.getStage()).isTrue();
        if (StageInstance.isChunk(d.getStage())) {
          mostOut = Math.max(mostOut, ++out);
        }
      } else if (e instanceof StageFinished f && StageInstance.isChunk(f.getStage())) {
        out--;
      }
    }
    assertThat(attempts).hasSize(CHUNKS + 2);
    assertThat(mostOut).as("chunks out at once").isLessThanOrEqualTo(MAX_PARALLEL);
    assertThat(mission.stage("score[" + (CHUNKS - 1) + "]").orElseThrow().status()).isEqualTo(StageStatus.FINISHED);
  }
}
