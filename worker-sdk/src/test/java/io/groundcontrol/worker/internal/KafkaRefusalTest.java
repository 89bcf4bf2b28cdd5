package io.groundcontrol.worker.internal;

import static io.groundcontrol.worker.internal.WorkerFixture.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.worker.api.StageResult;
import java.time.Duration;
import java.util.Set;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A refused login or a missing ACL stops the worker at once with one logged line, and is not
 * retried: the producer's as well as the consumer's.
 */
class KafkaRefusalTest {
  private final WorkerFixture fixture = new WorkerFixture(false);
  private final GatedHandler handler = new GatedHandler();

  @AfterEach
  void close() {
    handler.open();
    fixture.close();
  }

  @Test
  void stopsWithoutSendingAgainWhenKafkaRefusesAFinalReportForAMissingWriteAcl() {
    fixture.open(context -> StageResult.finished());
    fixture.send(run("m-0", "load"));
    fixture.awaitReport("m-0", "finished");
    fixture.acknowledgeReports();
    fixture.awaitCommitted(fixture.p0, 1);

    fixture.send(run("m-1", "load"));
    fixture.awaitReport("m-1", "finished");
    fixture.producer.errorNext(new TopicAuthorizationException(Set.of("groundcontrol.stage-reports")));

    Await.until("the worker stopped", () -> !fixture.worker.isOpen());
    fixture.close();
    assertThat(fixture.kinds("m-1")).as("not sent again").containsExactly("finished");
    assertThat(fixture.committed(fixture.p0)).as("m-1 is left for the partition's next owner").isEqualTo(1);
    assertThat(fixture.consumer.closed()).isTrue();
    assertThat(fixture.producer.closed()).isTrue();
  }

  /** A long stage sends started and heartbeats for hours before its final report. */
  @Test
  void stopsWhenKafkaRefusesAStartedReport() {
    fixture.open(handler, options -> options.startedReportDelay(Duration.ZERO).closeTimeout(Duration.ZERO));
    fixture.send(run("m-1", "load"));
    handler.awaitCalls(1);
    fixture.awaitReport("m-1", "started");

    fixture.producer.errorNext(new ClusterAuthorizationException("Cluster authorization failed."));

    Await.until("the worker stopped", () -> !fixture.worker.isOpen());
    fixture.close();
    Await.until("the running handler is interrupted", () -> handler.interrupted.contains("m-1"));
    assertThat(fixture.committed(fixture.p0)).isNull();
  }
}
