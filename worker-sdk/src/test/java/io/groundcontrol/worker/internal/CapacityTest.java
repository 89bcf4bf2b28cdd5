package io.groundcontrol.worker.internal;

import static io.groundcontrol.worker.internal.WorkerFixture.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** At most {@code parallelism} handlers at once; RUNs read ahead wait, and the read-ahead is bounded. */
class CapacityTest {
  private final WorkerFixture fixture = new WorkerFixture();
  private final GatedHandler handler = new GatedHandler();

  @AfterEach
  void close() {
    handler.open();
    fixture.close();
  }

  @Test
  void runsNoMoreHandlersAtOnceThanItsParallelism() {
    fixture.open(handler, options -> options.parallelism(2));

    for (int i = 1; i <= 5; i++) {
      fixture.send(run("m-" + i, "load"));
    }
    handler.awaitCalls(2);
    Await.until("all five RUNs are read", () -> fixture.consumer.position(fixture.p0) == 5);
    assertThat(handler.calls).hasSize(2);

    handler.open();
    Await.until("five finished reports",
        () -> fixture.reports().stream().filter(r -> WorkerFixture.kind(r).equals("finished")).count() == 5);
    assertThat(handler.mostRunning).hasValue(2);
    assertThat(handler.calls).containsExactlyInAnyOrder("m-1", "m-2", "m-3", "m-4", "m-5");
    fixture.awaitCommitted(fixture.p0, 5);
  }

  @Test
  void startsNothingWhileAllHandlersAreBusyButStartsTheNextWhenOneIsFree() {
    fixture.open(handler);

    fixture.send(run("m-1", "load"));
    fixture.send(run("m-2", "load"));
    handler.awaitCalls(1);
    Await.until("both RUNs are read", () -> fixture.consumer.position(fixture.p0) == 2);

    assertThat(handler.calls).containsExactly("m-1");
    assertThat(fixture.kinds("m-2")).isEmpty();
    handler.open();
    fixture.awaitReport("m-2", "finished");
    assertThat(handler.mostRunning).hasValue(1);
  }

  @Test
  void pausesItsPartitionsWhenTheReadAheadIsFullAndResumesWhenThereIsRoom() {
    openWithReadAheadOfTwo();

    fixture.send(run("m-1", "load"));
    handler.awaitCalls(1);
    fixture.send(run("m-2", "load"));
    fixture.send(run("m-3", "load"));

    Await.until("the partitions are paused", () -> fixture.consumer.paused().size() == 2);
    handler.open();
    Await.until("the partitions are resumed", () -> fixture.consumer.paused().isEmpty());
    fixture.awaitReport("m-3", "finished");
  }

  @Test
  void resumesAPartitionACooperativeRebalanceLeftPausedOnceItsReadAheadHasRoom() {
    openWithReadAheadOfTwo();
    fixture.send(run("m-1", "load"));
    handler.awaitCalls(1);
    fixture.send(fixture.p1, run("m-2", "load"));
    fixture.send(fixture.p1, run("m-3", "load"));
    Await.until("the partitions are paused", () -> fixture.consumer.paused().size() == 2);

    // As a cooperative rebalance: p1 is revoked with its waiting RUNs, none is added, p0 stays paused.
    fixture.consumer.schedulePollTask(() -> fixture.consumer.rebalance(List.of(fixture.p0)));
    Await.until("p0 is resumed", () -> fixture.consumer.paused().isEmpty());
    fixture.send(run("m-4", "load"));
    handler.open();
    fixture.awaitReport("m-4", "finished");
  }

  private void openWithReadAheadOfTwo() {
    fixture.open(handler, options -> ((WorkerBuilderImpl) options).tuning(
        new WorkerConfig.Tuning(Duration.ofMillis(20), 2, 100, Duration.ofSeconds(1))));
  }
}
