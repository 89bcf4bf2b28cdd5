package io.groundcontrol.api;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * One event stream's events on their way to its client: queued here by whoever has them (the
 * feed's thread) and written in order by one sender at a time on {@code senders}, so that a client
 * that stops reading holds up its own stream only. A stream whose waiting events grow past
 * {@link #MAX_QUEUED_CHARS} is closed: its client reconnects and gets the mission afresh. The
 * snapshot does not count: a mission may well be larger than the bound, and its client is not
 * behind for that.
 *
 * <p>The {@code mission} snapshot goes first: events that come before it wait, and those it already
 * holds (sequence at most its own) are dropped, whether they come before it or after, until one
 * beyond it comes.
 *
 * <p>A {@link #keepAlive} comment is written only while the stream is otherwise idle.
 */
final class StreamSender {
  /**
   * The most text (events' data, in chars) a stream may have waiting to be written before it is
   * closed; one event alone may be more.
   */
  static final int MAX_QUEUED_CHARS = 4 * 1024 * 1024;

  /**
   * @param name null for a keep-alive comment
   * @param sequence the event's; null for the snapshot and a comment
   */
  private record Pending(String name, String data, Long sequence) {
    static final Pending KEEP_ALIVE = new Pending(null, "", null);

    /** The chars this counts against the bound: an event's data; nothing for the snapshot or a comment. */
    int chars() {
      return sequence == null ? 0 : data.length();
    }

    /** Writes this to the client; false once the stream has ended. */
    boolean send(OpenStream stream) {
      if (name == null) {
        return stream.keepAlive();
      }
      return stream.send(name, data, sequence == null ? null : sequence.toString());
    }
  }

  private final OpenStream stream;
  private final Executor senders;
  private final int maxQueuedChars;
  private final Deque<Pending> queue = new ArrayDeque<>();
  private long queuedChars;
  private boolean snapshotQueued;
  private long snapshotSequence;
  private boolean beyondSnapshot;
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

  /** Queues an {@code event}, its id the sequence, unless the snapshot holds it; never blocks. */
  void event(long sequence, String data) {
    synchronized (this) {
      if (closed || snapshotQueued && covered(sequence)) {
        return;
      }
      if (queuedChars == 0 || queuedChars + data.length() <= maxQueuedChars) {
        queue.add(new Pending("event", data, sequence));
        queuedChars += data.length();
        startSending();
        return;
      }
      drop();
    }
    stream.close();
  }

  /**
   * Queues the {@code mission} snapshot ahead of the events that wait, drops those it holds
   * ({@code sequence}: that of the last event it holds; {@link Long#MIN_VALUE} if none), and starts
   * sending; never blocks.
   */
  synchronized void snapshot(long sequence, String data) {
    if (closed || snapshotQueued) {
      return;
    }
    snapshotQueued = true;
    snapshotSequence = sequence;
    queue.removeIf(pending -> {
      boolean covered = covered(pending.sequence());
      if (covered) {
        queuedChars -= pending.chars();
      }
      return covered;
    });
    queue.addFirst(new Pending("mission", data, null));
    startSending();
  }

  /**
   * Whether the snapshot holds the event. Only until the first event beyond it: a mission forgotten
   * and started anew under the same id numbers its events from 1 again. A rejection that names no
   * mission (sequence 0) is in no snapshot.
   */
  private boolean covered(long sequence) {
    if (sequence > snapshotSequence) {
      beyondSnapshot = true;
    }
    return !beyondSnapshot && sequence > 0;
  }

  /**
   * Queues a comment, which clients ignore, if nothing waits or is being written; never blocks. A
   * client that went away is noticed only when a write to it fails, and idle connections are
   * dropped by proxies: any write does for both, so one already under way makes this one needless.
   */
  synchronized void keepAlive() {
    // Before the snapshot is queued, it is about to be written; once it is, whatever waits is being written.
    if (closed || sending || !snapshotQueued) {
      return;
    }
    queue.add(Pending.KEEP_ALIVE);
    startSending();
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
    if (sending || !snapshotQueued) {
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
        queuedChars -= next.chars();
      }
      // Outside the lock: this write may block for as long as the client does not read.
      if (!next.send(stream)) {
        close();
      }
    }
  }
}
