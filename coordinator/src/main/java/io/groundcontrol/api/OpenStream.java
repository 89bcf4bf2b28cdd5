package io.groundcontrol.api;

import java.util.function.BooleanSupplier;

/**
 * One open event stream, which sends only while the key it was opened with still allows it: the
 * key is checked again before each event and at each tick, and the stream closes once the key is
 * revoked or its role no longer allows reading. Without this, a stream would outlive its key.
 * Events come from one sender at a time ({@link StreamSender}); ticks come on the ticker's thread
 * and take no lock, so that a tick never waits for a write that a client which stopped reading holds up.
 */
final class OpenStream {
  /** Where the stream writes: the server-sent events client. */
  interface Sink {
    /** Sends one event; {@code id} may be null. */
    void send(String name, String data, String id);

    /** Sends a comment line, which clients ignore. */
    void comment();

    /** Ends the stream; idempotent. */
    void close();

    /** Whether the stream has ended, closed here or by the client going. */
    boolean terminated();
  }

  private final Sink sink;
  private final BooleanSupplier allowed;

  /** @param allowed whether the stream's key still allows it; asked before each event and at each tick */
  OpenStream(Sink sink, BooleanSupplier allowed) {
    this.sink = sink;
    this.allowed = allowed;
  }

  /**
   * Sends the event if the key still allows it, or else closes the stream; false once the stream
   * has ended. Called by one thread at a time.
   */
  boolean send(String name, String data, String id) {
    if (!open()) {
      return false;
    }
    sink.send(name, data, id);
    return true;
  }

  /**
   * Sends a comment if the key still allows it, or else closes the stream; false once the stream
   * has ended. Called by one thread at a time, as {@link #send}.
   */
  boolean keepAlive() {
    if (!open()) {
      return false;
    }
    sink.comment();
    return true;
  }

  /** Closes the stream if its key no longer allows it; false once the stream has ended. */
  boolean tick() {
    return open();
  }

  /** Ends the stream whatever its key; idempotent. */
  void close() {
    sink.close();
  }

  private boolean open() {
    if (sink.terminated()) {
      return false;
    }
    if (!allowed.getAsBoolean()) {
      sink.close();
      return false;
    }
    return true;
  }
}
