package io.groundcontrol.python;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionFinished;
import io.groundcontrol.schema.StageDispatched;
import io.groundcontrol.testing.ComponentGroup;
import io.groundcontrol.testing.GroundcontrolFixture;
import io.groundcontrol.testing.KafkaBrokerExtension;
import io.groundcontrol.worker.api.StageResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * DeletedInstructionTopicIT's deleted instruction topic, with a Python worker for the component whose
 * topic is deleted (alpha; beta's worker is a Java one). librdkafka gives up a deleted topic's
 * partitions only at its periodic metadata refresh, and the coordinator waits at most 20 s for that
 * before it creates the topic again; a worker still holding them read the new topic from its old
 * position. The mission held for the new topic goes to the partition alpha's first mission went to, so
 * that such a worker would skip its RUN; it ends once, and beta's missions go on meanwhile.
 */
class PythonDeletedInstructionTopicIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  private static final Duration WAIT = Duration.ofSeconds(60);
  /** The coordinators of the tests make instruction topics of two partitions. */
  private static final int PARTITIONS = 2;
  private static final List<String> BETAS = IntStream.range(1, 6).mapToObj(i -> "m-b" + i).toList();

  @TempDir Path marks;
  private Path pythonLog;

  @Test
  void aDeletedTopicIsCreatedAgainOnceThePythonWorkerLetGoAndItReadsTheHeldRun() throws Exception {
    PrintStream stderr = System.err;
    ByteArrayOutputStream logged = new ByteArrayOutputStream();
    System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
    Process python = null;
    try (GroundcontrolFixture groundcontrol = new GroundcontrolFixture(KAFKA, "pydeleted").startCoordinator()) {
      ComponentGroup alpha = new ComponentGroup(KAFKA.admin(), "alpha", groundcontrol.topics().instructions("alpha"));
      List<String> missions = alpha.missionsOn(0, PARTITIONS, "m-a", 2);
      groundcontrol.apply(TestPlan.named("pa").stage("a", "alpha").build());
      groundcontrol.apply(TestPlan.named("pb").stage("b", "beta").build());
      python = startPython(groundcontrol);
      groundcontrol.worker("beta", 2, context -> StageResult.finished());
      groundcontrol.start(missions.get(0), "pa");
      groundcontrol.start("m-b0", "pb");
      awaitEnd(groundcontrol, List.of(missions.get(0), "m-b0"));

      KAFKA.admin().deleteTopics(List.of(alpha.topic())).all().get();
      long deleted = System.nanoTime();
      String held = missions.get(1);
      groundcontrol.start(held, "pa");
      BETAS.forEach(id -> groundcontrol.start(id, "pb"));
      Map<String, List<MissionEvent>> betaEnds = awaitEnd(groundcontrol, BETAS);
      System.out.printf("PythonDeletedInstructionTopicIT: beta missions ended %.1f s after the deletion%n",
          (System.nanoTime() - deleted) / 1e9);
      List<MissionEvent> alphaEnd = awaitEnd(groundcontrol, List.of(held)).get(held);
      System.out.printf("PythonDeletedInstructionTopicIT: %s (alpha, held) ended %.1f s after the deletion%n", held,
          (System.nanoTime() - deleted) / 1e9);

      BETAS.forEach(id -> assertThat(last(betaEnds.get(id))).as(id).isInstanceOf(MissionFinished.class));
      assertThat(last(alphaEnd)).isInstanceOf(MissionFinished.class);
      assertThat(alphaEnd.stream().filter(e -> e.getEvent() instanceof StageDispatched)).as("dispatched once")
          .hasSize(1);
      assertThat(logged.toString(StandardCharsets.UTF_8)).contains("Created again the instruction topic " + alpha.topic())
          .contains("once the workers of alpha held none of its partitions");
      long stopping = System.nanoTime();
      PythonWorkerProcesses.stopCleanly("py-alpha", python, pythonLog);
      // librdkafka 2.0.2's close waits for good after such a deletion; the worker ends without it.
      System.out.printf("PythonDeletedInstructionTopicIT: the worker exited %.1f s after SIGTERM; its consumer %s%n",
          (System.nanoTime() - stopping) / 1e9,
          Files.readString(pythonLog).contains("did not close within") ? "did not close" : "closed");
    } finally {
      System.setErr(stderr);
      stderr.print(logged.toString(StandardCharsets.UTF_8));
      if (python != null && python.isAlive()) {
        python.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private Process startPython(GroundcontrolFixture groundcontrol) throws IOException {
    pythonLog = Files.createTempFile("python-alpha-", ".log");
    return PythonWorkerProcesses.startMixedWorker(groundcontrol, marks, "alpha", "py-alpha", 1, pythonLog);
  }

  private Map<String, List<MissionEvent>> awaitEnd(GroundcontrolFixture groundcontrol, Collection<String> missions)
      throws IOException {
    try {
      return groundcontrol.awaitEnd(missions, WAIT);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; Python worker log:\n" + Files.readString(pythonLog), e);
    }
  }

  private static Object last(List<MissionEvent> events) {
    return events.get(events.size() - 1).getEvent();
  }
}
