package io.groundcontrol.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Queue;
import org.junit.jupiter.api.Test;

/** One stream's queue: the mission first, no event it holds, and closed once too far behind. */
class StreamSenderTest {
  private final RecordingSink sink = new RecordingSink();
  /** The senders, run when the test says: until then, the client reads nothing. */
  private final Queue<Runnable> senders = new ArrayDeque<>();
  private final StreamSender sender = new StreamSender(new OpenStream(sink, () -> true), senders::add, 10);

  @Test
  void eventsBeforeTheMissionWaitAndThoseItHoldsAreDropped() {
    sender.event(1, "a");
    sender.event(2, "b");
    sender.event(3, "c");
    assertThat(senders).as("nothing is sent before the mission").isEmpty();

    sender.snapshot(2, "{}");
    sender.event(4, "d");
    send();

    assertThat(sink.sent).containsExactly("mission", "event 3", "event 4");
  }

  /** The read side applies an event before the feed, which reads committed events only, delivers it. */
  @Test
  void anEventTheMissionHoldsThatComesAfterItIsDropped() {
    sender.event(1, "a");
    sender.snapshot(2, "{}");
    sender.event(2, "b");
    sender.event(3, "c");
    send();

    assertThat(sink.sent).containsExactly("mission", "event 3");
  }

  @Test
  void onceAnEventBeyondTheMissionCameEveryEventIsSent() {
    sender.snapshot(5, "{}");
    sender.event(0, "r");
    sender.event(5, "e");
    sender.event(6, "f");
    // Forgotten, then started anew under the same id: numbered from 1 again.
    sender.event(1, "a");
    send();

    assertThat(sink.sent).as("a rejection naming no mission (0) is in no snapshot")
        .containsExactly("mission", "event 0", "event 6", "event 1");
  }

  @Test
  void aClientTooFarBehindHasItsStreamClosedAndGetsNothingMore() {
    sender.snapshot(0, "{}");
    sender.event(1, "aaaaa");
    sender.event(2, "bbbbb");
    assertThat(sink.terminated()).as("10 chars of events wait: at the bound").isFalse();

    sender.event(3, "c");
    send();

    assertThat(sink.terminated()).isTrue();
    assertThat(sink.sent).isEmpty();
  }

  @Test
  void anEventLargerThanTheBoundIsSentWhenNothingElseWaits() {
    sender.snapshot(0, "{}");
    send();
    sender.event(1, "x".repeat(20));
    send();

    assertThat(sink.sent).containsExactly("mission", "event 1");
    assertThat(sink.terminated()).isFalse();
  }

  @Test
  void oneSenderAtATimeAndNoneOnceAllIsSent() {
    sender.snapshot(0, "{}");
    sender.event(1, "a");
    assertThat(senders).hasSize(1);
    send();
    assertThat(senders).isEmpty();

    sender.event(2, "b");
    assertThat(senders).hasSize(1);
  }

  @Test
  void aKeepAliveIsSentOnlyWhenNothingElseIsBeingWritten() {
    sender.keepAlive();
    assertThat(senders).as("the mission is about to be written").isEmpty();
    sender.snapshot(0, "{}");
    sender.keepAlive();
    send();
    sender.keepAlive();
    sender.keepAlive();
    send();
    sender.event(1, "a");
    sender.keepAlive();
    send();

    assertThat(sink.sent).containsExactly("mission", "comment", "event 1");
  }

  @Test
  void aStreamThatEndedGetsNoKeepAlive() {
    sender.snapshot(0, "{}");
    send();
    sender.close();
    sender.keepAlive();

    assertThat(senders).isEmpty();
  }

  /**
   * A mission larger than the bound (outputs of 64 KiB to 768 KiB a stage make one over 4 MB),
   * followed by an event before the sender took it: the client is not behind at all.
   */
  @Test
  void anEventJustAfterAMissionLargerThanTheBoundDoesNotCloseTheStream() {
    sender.snapshot(0, "x".repeat(20));
    sender.event(1, "a");
    send();

    assertThat(sink.terminated()).isFalse();
    assertThat(sink.sent).containsExactly("mission", "event 1");
  }

  private void send() {
    for (Runnable next = senders.poll(); next != null; next = senders.poll()) {
      next.run();
    }
  }
}
