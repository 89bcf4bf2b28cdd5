package io.groundcontrol.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Queue;
import org.junit.jupiter.api.Test;

/** One stream's queue: sent by one sender at a time, and closed once too far behind. */
class StreamSenderTest {
  private final RecordingSink sink = new RecordingSink();
  /** The senders, run when the test says: until then, the client reads nothing. */
  private final Queue<Runnable> senders = new ArrayDeque<>();
  private final StreamSender sender = new StreamSender(new OpenStream(sink, () -> true), senders::add, 10);

  @Test
  void aClientTooFarBehindHasItsStreamClosedAndGetsNothingMore() {
    sender.mission("{}");
    sender.event(1, "aaaa");
    sender.event(2, "bbbb");
    assertThat(sink.terminated()).as("10 chars wait: at the bound").isFalse();

    sender.event(3, "c");
    send();

    assertThat(sink.terminated()).isTrue();
    assertThat(sink.sent).isEmpty();
  }

  @Test
  void anEventLargerThanTheBoundIsSentWhenNothingElseWaits() {
    sender.mission("{}");
    send();
    sender.event(1, "x".repeat(20));
    send();

    assertThat(sink.sent).containsExactly("mission", "event 1");
    assertThat(sink.terminated()).isFalse();
  }

  @Test
  void oneSenderAtATimeAndNoneOnceAllIsSent() {
    sender.mission("{}");
    sender.event(1, "a");
    assertThat(senders).hasSize(1);
    send();
    assertThat(senders).isEmpty();

    sender.event(2, "b");
    assertThat(senders).hasSize(1);
  }

  private void send() {
    for (Runnable next = senders.poll(); next != null; next = senders.poll()) {
      next.run();
    }
  }
}
