package io.groundcontrol.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.mission.TestPlan;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.StageFailed;
import io.groundcontrol.schema.StageFinished;
import io.groundcontrol.schema.StageStarted;
import io.groundcontrol.testing.CliProcess;
import io.groundcontrol.testing.GroundcontrolFixture;
import io.groundcontrol.testing.KafkaBrokerExtension;
import io.groundcontrol.worker.api.StageResult;
import io.groundcontrol.worker.api.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A worker killed with SIGKILL mid-stage, its heartbeats too slow to notice (15 s of silence): the
 * stage moves to another worker as soon as Kafka gives that worker the dead one's partitions,
 * within the SDK's default failover timeout (6 s) and a rebalance.
 */
class WorkerFailoverIT {
  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private GroundcontrolFixture groundcontrol;
  private CliProcess child;

  @AfterEach
  void tearDown() {
    if (child != null) {
      child.kill();
    }
    if (groundcontrol != null) {
      groundcontrol.close();
    }
  }

  @Test
  void aDeadWorkersStageRunsOnAnotherWorkerWithinSeconds() {
    groundcontrol = new GroundcontrolFixture(KAFKA, "failover").startCoordinator().apply(TestPlan.named("p")
        .stage("slow", "ml", Map.of("work_ms", "600000")).build());
    child = CliProcess.start("workers", "--bootstrap-servers", groundcontrol.bootstrapServers(),
        "--topic-prefix", groundcontrol.topics().prefix(), "--component", "ml", "--parallelism", "1",
        "--heartbeat-interval", "PT5S");
    child.awaitOutput("Example workers for [ml]", CliProcess.START);
    groundcontrol.start("m-1", "p");
    groundcontrol.awaitEvent("m-1", StageStarted.class, Duration.ofSeconds(60));

    long killedAt = System.nanoTime();
    child.kill();
    Worker survivor = groundcontrol.worker("ml", 1, context -> StageResult.finished());
    List<MissionEvent> log = groundcontrol.awaitEnd(List.of("m-1"), Duration.ofSeconds(60)).get("m-1");
    Duration failover = Duration.ofNanos(System.nanoTime() - killedAt);

    System.out.printf("worker failover: %d ms from SIGKILL to the mission's end on the survivor%n", failover.toMillis());
    assertThat(log).extracting(MissionEvent::getEvent).filteredOn(StageFailed.class::isInstance)
        .as("moved before the coordinator noticed the silence").isEmpty();
    assertThat(log).extracting(MissionEvent::getEvent).filteredOn(StageFinished.class::isInstance).singleElement()
        .satisfies(finished -> {
          assertThat(((StageFinished) finished).getAttempt()).isEqualTo(1);
          assertThat(((StageFinished) finished).getWorker()).as("the dead worker's StageStarted named one").isNull();
        });
    assertThat(log).extracting(MissionEvent::getEvent).filteredOn(StageStarted.class::isInstance)
        .as("the dead worker's start only: the survivor reported the outcome alone").hasSize(1);
    assertThat(log).last().satisfies(end -> assertThat(end.getCause().getActor().getId()).isEqualTo(survivor.workerId()));
    assertThat(failover).as("well within the 15 s the heartbeats would have taken").isLessThan(Duration.ofSeconds(15));
  }
}
