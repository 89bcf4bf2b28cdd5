package io.groundcontrol.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * GET /api/v1/components asked Kafka for the live workers at every request (about 100 ms idle, a
 * second under load, while the web UI polls). Requests now share one lookup and its answer for a
 * second. Driven by a ticker and an executor the test runs by hand: no threads, no sleeps.
 */
class LiveWorkerSnapshotsTest {
  private final AtomicLong nanos = new AtomicLong();
  private final Queue<Runnable> lookups = new ArrayDeque<>();
  private final Executor byHand = lookups::add;
  private final AtomicInteger asked = new AtomicInteger();
  private final Clock clock = Clock.fixed(Instant.parse("2026-12-07T06:00:00Z"), ZoneOffset.UTC);

  private LiveWorkerSnapshots snapshots() {
    return new LiveWorkerSnapshots(() -> Map.of("ml", List.of("w" + asked.incrementAndGet() + "@h")), clock,
        nanos::get, byHand);
  }

  @Test
  void requestsWhileALookupRunsShareIt() {
    try (LiveWorkerSnapshots snapshots = snapshots()) {
      CompletableFuture<LiveWorkerSnapshots.Lookup> first = snapshots.lookup();
      CompletableFuture<LiveWorkerSnapshots.Lookup> second = snapshots.lookup();

      assertThat(second).isSameAs(first).isNotDone();
      assertThat(lookups).hasSize(1);
      runLookups();

      assertThat(asked).hasValue(1);
      assertThat(first).isDone();
      assertThat(first.join().orThrow().workers()).containsEntry("ml", List.of("w1@h"));
      assertThat(first.join().orThrow().at()).isEqualTo(clock.instant());
    }
  }

  @Test
  void anAnswerServesForASecondThenKafkaIsAskedAgain() {
    try (LiveWorkerSnapshots snapshots = snapshots()) {
      snapshots.lookup();
      runLookups();

      nanos.addAndGet(LiveWorkerSnapshots.FRESH.toNanos() - 1);
      CompletableFuture<LiveWorkerSnapshots.Lookup> kept = snapshots.lookup();
      assertThat(lookups).isEmpty();
      assertThat(kept.getNow(null).orThrow().workers()).containsEntry("ml", List.of("w1@h"));

      nanos.addAndGet(1);
      CompletableFuture<LiveWorkerSnapshots.Lookup> fresh = snapshots.lookup();
      runLookups();
      assertThat(fresh.join().orThrow().workers()).containsEntry("ml", List.of("w2@h"));
      assertThat(asked).hasValue(2);
    }
  }

  @Test
  void aFailedLookupIsNotKept() {
    AtomicInteger calls = new AtomicInteger();
    try (LiveWorkerSnapshots snapshots = new LiveWorkerSnapshots(() -> {
      if (calls.incrementAndGet() == 1) {
        throw new IllegalStateException("Kafka did not answer");
      }
      return Map.of();
    }, clock, nanos::get, byHand)) {
      CompletableFuture<LiveWorkerSnapshots.Lookup> failed = snapshots.lookup();
      runLookups();
      assertThat(failed.getNow(null).failure()).hasMessage("Kafka did not answer");

      CompletableFuture<LiveWorkerSnapshots.Lookup> again = snapshots.lookup();
      assertThat(lookups).hasSize(1);
      runLookups();
      assertThat(again.getNow(null).orThrow().workers()).isEmpty();
      assertThat(calls).hasValue(2);
    }
  }

  /**
   * With Kafka away a lookup takes 15 s to give up, and a mission's page waited for it at every poll
   * for its notes. A caller that can do without the live workers waits only as long as it says.
   */
  @Test
  void aCallerThatCanDoWithoutTheLiveWorkersWaitsOnlyAsLongAsItSays() {
    try (LiveWorkerSnapshots snapshots = snapshots()) {
      long before = System.nanoTime();
      assertThat(snapshots.within(Duration.ofMillis(50))).isEmpty();
      assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(5));
      assertThat(lookups).hasSize(1);

      runLookups();
      assertThat(snapshots.within(Duration.ofMillis(50))).hasValueSatisfying(
          snapshot -> assertThat(snapshot.workers()).containsEntry("ml", List.of("w1@h")));
      assertThat(asked).hasValue(1);
    }
  }

  @Test
  void aCallerThatWaitsBrieflyStillHearsOfAFailedLookup() {
    try (LiveWorkerSnapshots snapshots = new LiveWorkerSnapshots(() -> {
      throw new IllegalStateException("Kafka did not answer within 15 s");
    }, clock, nanos::get, Runnable::run)) {
      assertThatThrownBy(() -> snapshots.within(Duration.ofMillis(50))).isInstanceOf(IllegalStateException.class)
          .hasMessage("Kafka did not answer within 15 s");
    }
  }

  @Test
  void aSnapshotAnswersForTheComponentsAskedAbout() {
    LiveWorkerSnapshots.Snapshot snapshot = new LiveWorkerSnapshots.Snapshot(Map.of("ml", List.of("w1@h")), clock.instant());

    assertThat(snapshot.of(List.of("ml", "bq"))).isEqualTo(Map.of("ml", List.of("w1@h"), "bq", List.of()));
  }

  private void runLookups() {
    while (!lookups.isEmpty()) {
      lookups.poll().run();
    }
  }
}
