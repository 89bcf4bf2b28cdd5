package io.groundcontrol.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Queue;
import org.junit.jupiter.api.Test;

/** One stream's queue: the mission first, no event it holds, and closed once too far behind. */
class StreamSenderTest {
  /** When the mission shown started, and an earlier one under the same id. */
  private static final long STARTED = 2_000;
  private static final long OLD = 1_000;
  /** When an event that was rolled back was decided; the one committed in its place is at {@link #STARTED}. */
  private static final long UNCOMMITTED = 3_000;

  private final RecordingSink sink = new RecordingSink();
  /** The senders, run when the test says: until then, the client reads nothing. */
  private final Queue<Runnable> senders = new ArrayDeque<>();
  private final StreamSender sender = new StreamSender(new OpenStream(sink, () -> true), senders::add, 10);

  @Test
  void eventsBeforeTheMissionWaitAndThoseItHoldsAreDropped() {
    event(1, "a");
    event(2, "b");
    event(3, "c");
    assertThat(senders).as("nothing is sent before the mission").isEmpty();

    snapshot(2, "{}");
    event(4, "d");
    send();

    assertThat(sink.sent).containsExactly("mission", "event 3", "event 4");
  }

  /** The read side applies an event before the feed, which reads committed events only, delivers it. */
  @Test
  void anEventTheMissionHoldsThatComesAfterItIsDropped() {
    event(1, "a");
    snapshot(2, "{}");
    event(2, "b");
    event(3, "c");
    send();

    assertThat(sink.sent).containsExactly("mission", "event 3");
  }

  @Test
  void onceAnEventBeyondTheMissionCameEveryEventIsSent() {
    snapshot(5, "{}");
    event(0, "r");
    event(5, "e");
    event(6, "f");
    // Forgotten, then started anew under the same id: numbered from 1 again.
    event(1, "a");
    send();

    assertThat(sink.sent).as("a rejection naming no mission (0) is in no snapshot")
        .containsExactly("mission", "event 0", "event 6", "event 1");
  }

  @Test
  void aClientTooFarBehindHasItsStreamClosedAndGetsNothingMore() {
    snapshot(0, "{}");
    event(1, "aaaaa");
    event(2, "bbbbb");
    assertThat(sink.terminated()).as("10 chars of events wait: at the bound").isFalse();

    event(3, "c");
    send();

    assertThat(sink.terminated()).isTrue();
    assertThat(sink.sent).isEmpty();
  }

  @Test
  void anEventLargerThanTheBoundIsSentWhenNothingElseWaits() {
    snapshot(0, "{}");
    send();
    event(1, "x".repeat(20));
    send();

    assertThat(sink.sent).containsExactly("mission", "event 1");
    assertThat(sink.terminated()).isFalse();
  }

  @Test
  void oneSenderAtATimeAndNoneOnceAllIsSent() {
    snapshot(0, "{}");
    event(1, "a");
    assertThat(senders).hasSize(1);
    send();
    assertThat(senders).isEmpty();

    event(2, "b");
    assertThat(senders).hasSize(1);
  }

  @Test
  void aKeepAliveIsSentOnlyWhenNothingElseIsBeingWritten() {
    sender.keepAlive();
    assertThat(senders).as("the mission is about to be written").isEmpty();
    snapshot(0, "{}");
    sender.keepAlive();
    send();
    sender.keepAlive();
    sender.keepAlive();
    send();
    event(1, "a");
    sender.keepAlive();
    send();

    assertThat(sink.sent).containsExactly("mission", "comment", "event 1");
  }

  @Test
  void aStreamThatEndedGetsNoKeepAlive() {
    snapshot(0, "{}");
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
    snapshot(0, "x".repeat(20));
    event(1, "a");
    send();

    assertThat(sink.terminated()).isFalse();
    assertThat(sink.sent).containsExactly("mission", "event 1");
  }

  /**
   * Forgotten and started anew while the stream read the mission: the feed delivered the old
   * mission's last events (48, its MissionForgotten 49) and the new one's start before the read side
   * answered with the new mission.
   */
  @Test
  void eventsOfTheMissionBeforeTheOneShownAreDroppedFromBeforeItsStart() {
    sender.event(0, OLD, "r");
    earlierMissionEnds();
    sender.event(1, STARTED, "s");
    sender.snapshot(new StreamSender.Snapshot(1, STARTED, STARTED, true), "{}");
    event(2, "n");
    send();

    assertThat(sink.sent).as("a rejection naming no mission (0) is in no life").containsExactly("mission", "event 0",
        "event 2");
  }

  /** The read side applied the new start before the feed delivered it. */
  @Test
  void eventsOfAnEarlierMissionBeforeTheOwnersSnapshotOfANewOneAreDropped() {
    earlierMissionEnds();
    sender.snapshot(new StreamSender.Snapshot(1, STARTED, STARTED, false), "{}");
    sender.event(1, STARTED, "s");
    event(2, "n");
    send();

    assertThat(sink.sent).containsExactly("mission", "event 2");
  }

  /** The mission started anew after the snapshot was read: its start is not the one shown. */
  @Test
  void aLaterMissionAfterTheOwnersSnapshotIsSent() {
    earlierMissionEnds();
    sender.event(1, STARTED, "s");
    sender.snapshot(new StreamSender.Snapshot(47, OLD, OLD, false), "{}");
    send();

    assertThat(sink.sent).containsExactly("mission", "event 48", "event 49", "event 1");
  }

  /** A standby copy may lag: events beyond it that wait are its mission's unless its start came. */
  @Test
  void eventsBeyondAStaleSnapshotAreSentWithoutAStartOfItsOwn() {
    earlierMissionEnds();
    sender.snapshot(new StreamSender.Snapshot(47, OLD, OLD, true), "{}");
    send();

    assertThat(sink.sent).containsExactly("mission", "event 48", "event 49");
  }

  /**
   * The mission's owner died and a standby copy answered, a transaction behind: the events between
   * the copy and the stream's start came before it subscribed and never come again. Streaming on
   * from 9 would show a mission that never was; ended after the mission, the stream is reopened by
   * its client and read afresh.
   */
  @Test
  void aStaleSnapshotFollowedByALaterEventThanItsNextEndsTheStreamAfterTheMission() {
    sender.snapshot(new StreamSender.Snapshot(5, STARTED, STARTED, true), "{}");
    event(9, "i");
    event(10, "j");
    sender.keepAlive();
    send();

    assertEndedAfterTheMission();
  }

  /** The same gap among the events that waited for a stale snapshot. */
  @Test
  void aGapAfterAStaleSnapshotAmongTheWaitingEventsEndsTheStreamAfterTheMission() {
    event(4, "d");
    event(0, "r");
    event(8, "h");
    sender.snapshot(new StreamSender.Snapshot(5, STARTED, STARTED, true), "{}");
    event(9, "i");
    send();

    assertEndedAfterTheMission();
  }

  /**
   * A standby copy of a mission that was forgotten and started anew under the same id: the new
   * mission's events, numbered from 1 again, are not the copy's, and numbered on past it they
   * would pass for its own.
   */
  @Test
  void aNewMissionUnderTheIdOfAStaleSnapshotEndsTheStreamAfterTheMission() {
    sender.snapshot(new StreamSender.Snapshot(40, OLD, OLD, true), "{}");
    event(1, "s");
    event(2, "t");
    send();

    assertEndedAfterTheMission();
  }

  /** A standby copy that had caught up: its next event is the one after it, and the stream goes on. */
  @Test
  void aStaleSnapshotFollowedByItsNextEventStreamsOn() {
    event(5, "e");
    sender.snapshot(new StreamSender.Snapshot(5, STARTED, STARTED, true), "{}");
    event(6, "f");
    event(7, "g");
    send();

    assertThat(sink.sent).containsExactly("mission", "event 6", "event 7");
    assertThat(sink.terminated()).isFalse();
  }

  /**
   * The owner answered with event 7 applied but not yet committed, then died before the commit:
   * rolled back, the input was decided again by the next owner, differently, and the event 7 in
   * the log is another one, at another time. Dropped as held by the mission, it would never reach
   * the client, which would keep one that never was; ended after the mission, the stream is
   * reopened by its client and read afresh.
   */
  @Test
  void anEventAsCommittedThatIsNotTheOneTheOwnersMissionShowsEndsTheStreamAfterTheMission() {
    event(6, "f");
    sender.snapshot(new StreamSender.Snapshot(7, STARTED, UNCOMMITTED, false), "{}");
    event(7, "g");
    event(8, "h");
    send();

    assertEndedAfterTheMission();
  }

  /** The same, the committed event 7 having come before the mission was read. */
  @Test
  void aWaitingEventThatIsNotTheOneTheMissionShowsEndsTheStreamAfterTheMission() {
    event(7, "g");
    sender.snapshot(new StreamSender.Snapshot(7, STARTED, UNCOMMITTED, false), "{}");
    event(8, "h");
    send();

    assertEndedAfterTheMission();
  }

  /** The owner's mission, read before its last event was committed, and that event as committed: the stream goes on. */
  @Test
  void theOwnersMissionFollowedByItsOwnLastEventAsCommittedStreamsOn() {
    snapshot(7, "{}");
    event(7, "g");
    event(8, "h");
    send();

    assertThat(sink.sent).containsExactly("mission", "event 8");
    assertThat(sink.terminated()).isFalse();
  }

  /** The mission was written, nothing after it, and the stream ended: its client reads afresh. */
  private void assertEndedAfterTheMission() {
    assertThat(sink.sent).containsExactly("mission");
    assertThat(sink.terminated()).isTrue();
  }

  /** The last events of a mission started at {@link #OLD}: 48 and its MissionForgotten 49. */
  private void earlierMissionEnds() {
    sender.event(48, OLD, "e");
    sender.event(49, OLD, "f");
  }

  private void event(long sequence, String data) {
    sender.event(sequence, STARTED, data);
  }

  /** A snapshot from the mission's owner. */
  private void snapshot(long sequence, String data) {
    sender.snapshot(new StreamSender.Snapshot(sequence, STARTED, STARTED, false), data);
  }

  private void send() {
    for (Runnable next = senders.poll(); next != null; next = senders.poll()) {
      next.run();
    }
  }
}
