package io.groundcontrol.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
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
  void aStreamTheClientLeftStopsTickingWhateverTheKey() {
    sink.close();

    assertThat(stream.tick()).isFalse();
  }

  /** What the client would have received. */
  private static final class RecordingSink implements OpenStream.Sink {
    final List<String> sent = new ArrayList<>();
    private boolean closed;

    @Override
    public void send(String name, String data, String id) {
      sent.add(id == null ? name : name + " " + id);
    }

    @Override
    public void close() {
      closed = true;
    }

    @Override
    public boolean terminated() {
      return closed;
    }
  }
}
