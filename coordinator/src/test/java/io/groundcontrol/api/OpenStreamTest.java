package io.groundcontrol.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** An open event stream sends only while its key allows it, and ends at the first event or tick after. */
class OpenStreamTest {
  private final AtomicBoolean keyValid = new AtomicBoolean(true);
  private final RecordingSink sink = new RecordingSink();
  private final OpenStream stream = new OpenStream(sink, keyValid::get);

  @Test
  void aRevokedKeyEndsTheStreamAtTheNextEventWhichIsNotSent() {
    stream.send("mission", "{}", null);
    stream.send("event", "{\"sequence\": 1}", "1");

    keyValid.set(false);
    stream.send("event", "{\"sequence\": 2}", "2");

    assertThat(sink.sent).containsExactly("mission", "event 1");
    assertThat(sink.terminated()).isTrue();
  }

  @Test
  void aRevokedKeyEndsAQuietStreamAtTheNextTick() {
    stream.send("mission", "{}", null);
    assertThat(stream.tick()).as("open while the key is valid").isTrue();

    keyValid.set(false);

    assertThat(stream.tick()).isFalse();
    assertThat(sink.terminated()).isTrue();
    stream.send("event", "{\"sequence\": 1}", "1");
    assertThat(sink.sent).containsExactly("mission");
  }

  @Test
  void aRevokedKeyEndsTheStreamAtTheNextKeepAliveWhichIsNotSent() {
    stream.send("mission", "{}", null);
    assertThat(stream.keepAlive()).isTrue();

    keyValid.set(false);

    assertThat(stream.keepAlive()).isFalse();
    assertThat(sink.sent).containsExactly("mission", "comment");
    assertThat(sink.terminated()).isTrue();
  }

  /** A write that the client holds up (it stopped reading) must not hold up the ticker's key checks. */
  @Test
  void aTickDoesNotWaitForAWriteInProgress() throws Exception {
    CountDownLatch writing = new CountDownLatch(1);
    CountDownLatch read = new CountDownLatch(1);
    OpenStream held = new OpenStream(new RecordingSink() {
      @Override
      public void send(String name, String data, String id) {
        writing.countDown();
        try {
          read.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }, keyValid::get);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      threads.submit(() -> held.send("event", "{}", "1"));
      assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
      keyValid.set(false);

      Future<Boolean> tick = threads.submit(held::tick);

      assertThat(tick.get(10, TimeUnit.SECONDS)).as("the tick closed the stream").isFalse();
    } finally {
      read.countDown();
      threads.shutdownNow();
    }
  }

  @Test
  void aStreamTheClientLeftStopsTickingWhateverTheKey() {
    sink.close();

    assertThat(stream.tick()).isFalse();
  }
}
