package io.groundcontrol.api;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
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
 * beyond it comes. Those that come before it from an earlier life of the id (a mission forgotten and
 * started anew numbers its events from 1 again) are dropped too: see {@link #dropEarlierLives}.
 * A stale snapshot (a standby copy's, read while the owner could not answer) may lag behind events
 * the feed delivered before the stream subscribed: when the first event beyond it is not the next
 * one, those in between never come, and when a mission started anew under its id (an event 1 of
 * another start), the copy is of a mission no longer there. Either way the stream ends once the
 * snapshot is written, and its client reconnects and reads the mission afresh instead of following
 * a history with a hole in it.
 *
 * <p>The owner's snapshot may show events its open transaction has not committed: if the owner dies
 * before the commit, they are rolled back and decided again by the next owner, maybe differently,
 * and the log's event of the snapshot's sequence is another one. The snapshot's last event is
 * applied at its own time ({@code updatedAt}): when that event comes with another time, the stream
 * ends once the snapshot is written, as above, instead of dropping the event as held and leaving
 * its client with one that never was. This compares times only (an event's time is its input's):
 * the same input decided otherwise, another input of the same millisecond, or an earlier
 * rolled-back event under a last one decided alike, is not noticed.
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
   * What the {@code mission} snapshot shows.
   *
   * @param sequence that of the last event it holds; {@link Long#MIN_VALUE} if none
   * @param startedAt the mission's start, in epoch millis: the timestamp of its event 1
   * @param updatedAt the timestamp of its last event, in epoch millis
   * @param stale true if read from a standby copy, which may lag behind the events that came
   */
  record Snapshot(long sequence, long startedAt, long updatedAt, boolean stale) {
    /** The snapshot of a mission that does not exist. */
    static final Snapshot NONE = new Snapshot(Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE, true);

    /** Whether events may have come between this copy and the stream's start: a standby's copy of a mission. */
    boolean mayLag() {
      return stale && sequence > 0;
    }
  }

  /**
   * @param name null for a keep-alive comment
   * @param sequence the event's; null for the snapshot and a comment
   * @param timestamp the event's, in epoch millis; 0 for the snapshot and a comment
   */
  private record Pending(String name, String data, Long sequence, long timestamp) {
    static final Pending KEEP_ALIVE = new Pending(null, "", null, 0);
    /** Ends the stream once what is queued before it is written. */
    static final Pending END = new Pending(null, null, null, 0);

    /** Whether this is a mission's event 1, its {@code MissionStarted}, at {@code startedAt}. */
    boolean starts(long startedAt) {
      return sequence != null && sequence == 1 && timestamp == startedAt;
    }

    /** Whether this is an event of a mission, not a rejection naming none (sequence 0) nor the snapshot or a comment. */
    boolean ofAMission() {
      return sequence != null && sequence > 0;
    }

    /** The chars this counts against the bound: an event's data; nothing for the snapshot or a comment. */
    int chars() {
      return sequence == null ? 0 : data.length();
    }

    /** Writes this to the client; false once the stream has ended. */
    boolean send(OpenStream stream) {
      if (this == END) {
        stream.close();
        return false;
      }
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
  /** The {@code mission} snapshot once queued; null before. */
  private Snapshot shown;
  private boolean beyondSnapshot;
  /**
   * Events are missing after a snapshot that may lag (the first event beyond it was not the next
   * one, or a mission started anew under its id before it), or its last event as committed is not
   * the one it shows.
   */
  private boolean missed;
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

  /**
   * Queues an {@code event}, its id the sequence, unless the snapshot holds it; never blocks.
   *
   * @param timestamp the event's, in epoch millis
   */
  void event(long sequence, long timestamp, String data) {
    synchronized (this) {
      if (closed || shown != null && covered(sequence, timestamp) && !missed) {
        return;
      }
      if (missed) {
        endAfterSnapshot();
        return;
      }
      if (queuedChars == 0 || queuedChars + data.length() <= maxQueuedChars) {
        queue.add(new Pending("event", data, sequence, timestamp));
        queuedChars += data.length();
        startSending();
        return;
      }
      drop();
    }
    stream.close();
  }

  /**
   * Queues the {@code mission} snapshot ahead of the events that wait, drops those it holds and
   * those of earlier lives of the id, and starts sending; never blocks.
   */
  synchronized void snapshot(Snapshot snapshot, String data) {
    if (closed || shown != null) {
      return;
    }
    shown = snapshot;
    dropEarlierLives(snapshot);
    queue.removeIf(pending -> {
      boolean covered = covered(pending.sequence(), pending.timestamp());
      if (covered) {
        queuedChars -= pending.chars();
      }
      return covered;
    });
    queue.addFirst(new Pending("mission", data, null, 0));
    if (missed) {
      endAfterSnapshot();
    }
    startSending();
  }

  /**
   * Events are missing after the snapshot, or differ from those it shows: drops the events that
   * wait, takes no more, and ends the stream once the snapshot (if still waiting) is written.
   */
  private void endAfterSnapshot() {
    queue.removeIf(pending -> pending.sequence() != null);
    queuedChars = 0;
    closed = true;
    queue.add(Pending.END);
    startSending();
  }

  /**
   * Drops the waiting events of lives of the id before the snapshot's. Their sequences say nothing
   * of it (a new life numbers from 1 again), so the life's start marks it: whatever came before the
   * snapshot's own event 1 is older. When that start came before the subscription, or has not come
   * yet because the read side is ahead of the feed, a snapshot from the mission's owner still tells:
   * the owner applies each event before it is written, so its events after the snapshot were all
   * written after the read, after the subscription, and the feed hands on every one of them; those
   * of its life that wait therefore run on from at most the one after the snapshot's. Waiting events
   * that begin further on are of an earlier life, up to the next start. A standby copy may lag, so
   * for a stale snapshot only its start tells.
   */
  private void dropEarlierLives(Snapshot shown) {
    List<Pending> waiting = new ArrayList<>(queue);
    int end = lastStart(waiting, shown.startedAt());
    if (end < 0) {
      end = shown.stale() ? 0 : endOfAnEarlierLife(waiting, shown.sequence());
    }
    Iterator<Pending> older = queue.iterator();
    for (int i = 0; i < end; i++) {
      Pending next = older.next();
      if (next.ofAMission()) {
        older.remove();
        queuedChars -= next.chars();
      }
    }
  }

  /** The index of the last event 1 at {@code startedAt} in {@code waiting}; -1 if none. */
  private static int lastStart(List<Pending> waiting, long startedAt) {
    for (int i = waiting.size() - 1; i >= 0; i--) {
      if (waiting.get(i).starts(startedAt)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Where the run of mission events that {@code waiting} begins with ends (the next event 1) if it
   * begins beyond the one after {@code sequence}; 0 if it does not.
   */
  private static int endOfAnEarlierLife(List<Pending> waiting, long sequence) {
    int first = 0;
    while (first < waiting.size() && !waiting.get(first).ofAMission()) {
      first++;
    }
    if (first == waiting.size() || waiting.get(first).sequence() <= sequence + 1) {
      return 0;
    }
    int end = first;
    while (end < waiting.size() && waiting.get(end).sequence() != 1) {
      end++;
    }
    return end;
  }

  /**
   * Whether the snapshot holds the event. Only until the first event beyond it: a mission forgotten
   * and started anew under the same id numbers its events from 1 again. A rejection that names no
   * mission (sequence 0) is in no snapshot. Notes when events are {@link #missed}: after a snapshot
   * that may lag, or when its last event comes with another time than the one it was applied at.
   */
  private boolean covered(long sequence, long timestamp) {
    if (sequence == shown.sequence() && !beyondSnapshot && timestamp != shown.updatedAt()) {
      missed = true;
    } else if (sequence > shown.sequence() && !beyondSnapshot) {
      beyondSnapshot = true;
      missed = shown.mayLag() && sequence != shown.sequence() + 1;
    } else if (!beyondSnapshot && shown.mayLag() && sequence == 1 && timestamp != shown.startedAt()) {
      missed = true;
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
    if (closed || sending || shown == null) {
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
    if (sending || shown == null) {
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
