package io.groundcontrol.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

/** One write's wait: what a write Kafka does not take, or refuses, fails with. */
class WriteWaitTest {
  private static final WriteWait SHORT = new WriteWait(Duration.ofMillis(200));

  @Test
  void aSendThatNeverCompletesFailsAtTheDeadlineAsNotTakenSayingWhatToDo() {
    WriteWait.Write write = SHORT.begin("plan 'etl' version 3", "Applying it again is safe");

    Throwable failure = catchThrowable(() -> write.await(new CompletableFuture<>()));

    assertThat(failure).isInstanceOf(WriteNotTakenException.class).hasMessage(
        "Kafka did not take the plan 'etl' version 3 (no answer within 200 ms); is the cluster reachable? "
            + "Applying it again is safe");
  }

  @Test
  void oneDeadlineBoundsEverySendOfAWrite() {
    // A wait long beside a busy machine's pauses: a 150 ms bound on a 200 ms wait failed at 400 ms under load 25.
    WriteWait.Write write = new WriteWait(Duration.ofSeconds(1)).begin("plan 'etl' version 3", "Applying it again is safe");
    catchThrowable(() -> write.await(new CompletableFuture<>()));
    assertThat(write.remaining()).isZero();
    long begin = System.nanoTime();

    Throwable failure = catchThrowable(() -> write.await(new CompletableFuture<>()));

    // The first send used up the wait: the second is not given another.
    assertThat(failure).isInstanceOf(WriteNotTakenException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofMillis(900));
  }

  @Test
  void aRetriableFailureIsNotTakenAndARefusalIsNot() {
    WriteWait.Write write = SHORT.begin("revocation of API key abc", "Revoking it again is safe");

    Throwable away = catchThrowable(() -> write.await(
        CompletableFuture.failedFuture(new NotEnoughReplicasException("2 of 3 replicas are out of sync"))));
    Throwable refused = catchThrowable(() -> write.await(
        CompletableFuture.failedFuture(new TopicAuthorizationException("Not authorized to access topics: [gc.api-keys]"))));

    assertThat(away).isInstanceOf(WriteNotTakenException.class)
        .hasMessageContaining("(2 of 3 replicas are out of sync); is the cluster reachable?");
    assertThat(refused).isNotInstanceOf(WriteNotTakenException.class).isInstanceOf(IllegalStateException.class)
        .hasMessage("Could not write the revocation of API key abc: Not authorized to access topics: [gc.api-keys]")
        .hasCauseInstanceOf(TopicAuthorizationException.class);
  }

  @Test
  void aStepThatTimedOutAskingKafkaIsNotTaken() {
    WriteWait.Write write = SHORT.begin("component settings of 'bq'", "Applying them again is safe");

    Throwable failure = catchThrowable(() -> write.step(() -> {
      throw new IllegalStateException("Could not list topics: ", new org.apache.kafka.common.errors.TimeoutException(
          "Timed out waiting for a node assignment. Call: listTopics"));
    }));

    assertThat(failure).isInstanceOf(WriteNotTakenException.class).hasMessage(
        "Kafka did not take the component settings of 'bq' (no answer within 200 ms); is the cluster reachable? "
            + "None of it was sent, so none of it can land later: sending it again is safe")
        .hasRootCauseMessage("Timed out waiting for a node assignment. Call: listTopics");
  }

  @Test
  void theReadsBeforeAWriteAndItsSendShareOneDeadline() {
    WriteWait.Write write = SHORT.begin("revocation of API key abc", "Revoking it again is safe");
    // A read that took what was left, as a consumer given write.remaining() does.
    write.step(() -> catchThrowable(() -> new CompletableFuture<>().get(write.remaining().toNanos(),
        java.util.concurrent.TimeUnit.NANOSECONDS)));

    Throwable failure = catchThrowable(() -> write.await(new CompletableFuture<>()));

    // Nothing left for the send: it fails at once rather than waiting a limit of its own.
    assertThat(write.remaining()).isZero();
    assertThat(failure).isInstanceOf(WriteNotTakenException.class)
        .hasMessageEndingWith("is the cluster reachable? Revoking it again is safe");
  }

  @Test
  void aWaitMustBePositive() {
    assertThat(catchThrowable(() -> new WriteWait(Duration.ZERO)))
        .hasMessage("Expected a positive wait for Kafka writes, but got PT0S");
  }
}
