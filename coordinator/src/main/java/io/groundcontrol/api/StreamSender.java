package io.groundcontrol.api;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * One event stream's events on their way to its client: queued here by whoever has them (the
 * feed's thread) and written in order by one sender at a time on {@code senders}, so that a client
 * that stops reading holds up its own stream only. A stream whose queue grows past
 * {@link #MAX_QUEUED_CHARS} is closed: its client reconnects and gets the mission afresh.
 */
final class StreamSender {
  /** The most text (events' data, in chars) a stream may have waiting to be written before it is closed. */
  static final int MAX_QUEUED_CHARS = 4 * 1024 * 1024;

  private record Pending(String name, String data, String id) {}

  private final OpenStream stream;
  private final Executor senders;
  private final int maxQueuedChars;
  private final Deque<Pending> queue = new ArrayDeque<>();
  private long queuedChars;
  private boolean sending;
  private boolean closed;

  StreamSender(OpenStream stream, Executor senders) {
    this(stream, senders, MAX_QUEUED_CHARS);
  }

  StreamSender(OpenStream stream, Executor senders, int maxQueuedChars) {
    this.stream = stream;
    this.senders = senders;
    this.maxQueuedChars = maxQueuedChars;
  }

  /** Queues an {@code event}, its id the sequence; never blocks. */
  void event(long sequence, String data) {
    queue("event", data, Long.toString(sequence));
  }

  /** Queues the {@code mission} event; never blocks. */
  void mission(String data) {
    queue("mission", data, null);
  }

  private void queue(String name, String data, String id) {
    synchronized (this) {
      if (closed) {
        return;
      }
      if (queue.isEmpty() || queuedChars + data.length() <= maxQueuedChars) {
        queue.add(new Pending(name, data, id));
        queuedChars += data.length();
        startSending();
        return;
      }
      drop();
    }
    stream.close();
  }

  /** Drops what waits and sends nothing more; for a stream that has ended. */
  synchronized void close() {
    drop();
  }

  private void drop() {
    closed = true;
    queue.clear();
    queuedChars = 0;
  }

  private void startSending() {
    if (sending) {
      return;
    }
    sending = true;
    try {
      senders.execute(this::send);
    } catch (RejectedExecutionException e) {
      // The server is stopping.
      sending = false;
      drop();
    }
  }

  private void send() {
    while (true) {
      Pending next;
      synchronized (this) {
        next = queue.poll();
        if (next == null) {
          sending = false;
          return;
        }
        queuedChars -= next.data().length();
      }
      // Outside the lock: this write may block for as long as the client does not read.
      if (!stream.send(next.name(), next.data(), next.id())) {
        close();
      }
    }
  }
}
