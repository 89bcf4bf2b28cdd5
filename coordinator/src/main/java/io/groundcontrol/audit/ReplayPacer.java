package io.groundcontrol.audit;

import io.groundcontrol.audit.ReplayInput.Channel;
import io.groundcontrol.schema.CauseKind;
import io.groundcontrol.schema.InputRejected;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.StageReset;
import io.groundcontrol.schema.StageRetryScheduled;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides when to send each recovered input while a coordinator replays them, and checks its
 * events against the original's as they come. An input goes out only once the coordinator has
 * written every event of the one before: commands and reports travel on two topics, and a
 * coordinator that has both at hand orders them by timestamp, not by the order they had in the
 * original run. Plain Java; the caller does the sending and the reading, and says what time it is.
 *
 * <p>The replay runs on the present clock: each input is sent {@link #shift()} later than it was
 * stamped, the smallest shift that keeps it from being stamped in the past and that never
 * decreases. The coordinator's timers (timeouts, lost workers, retries) fall due relative to input
 * times and fire by the wall clock, so inputs stamped in the past would find them overdue. Events
 * are compared with the original's after taking the shift off again.
 *
 * <p>Events caused by a timer are awaited, never sent, and compared with one tolerance: the time the
 * timer fired. The coordinator stamps a timer's events with the wall-clock time of the punctuation
 * that fired it (every 100 ms, and later under load), not with the due time, so the replay's fire
 * time differs from the original's by up to a few hundred milliseconds however exactly its inputs
 * are shifted. Tolerated, in events caused by a timer only: the event's {@code timestamp}, and by
 * the same amount the {@code dueAt} of a {@code StageRetryScheduled} among them (a retry after a
 * timeout or a lost worker is due a backoff after the fire time; the backoff itself, which depends
 * only on mission, stage and attempt, must match exactly). Everything else must be equal: kind,
 * sequence, cause, stage, attempt, error. Such an event counts as reproduced, and is kept with the
 * original's times ({@link #replayed()}), so the final states compare exactly: the fire time shows
 * in a state only as the {@code updatedAt} of the mission and the stage, which the next input
 * overwrites anyway. A reset logged before v10 of {@code MissionEvent} matches this build's, which
 * counts the stage's retries anew ({@link #asLoggedBeforeV10}).
 */
final class ReplayPacer {
  private final List<ReplayInput> inputs;
  private final List<String> mismatches = new ArrayList<>();
  private final List<MissionEvent> replayed = new ArrayList<>();
  private Duration shift = Duration.ZERO;
  private int current = -1;
  private int seen;
  private String divergence;
  private boolean startRejected;
  private int startResends;
  private long reached;
  private Duration timerDrift = Duration.ZERO;

  ReplayPacer(List<ReplayInput> inputs) {
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("Expected inputs to replay, but there are none");
    }
    this.inputs = List.copyOf(inputs);
  }

  /** The input to send first, at {@code now}. */
  List<ReplayInput> begin(Instant now) {
    return advance(now);
  }

  /**
   * Takes one event the coordinator wrote for the mission, and returns the inputs to send now:
   * the next one once this input's events are complete.
   */
  List<ReplayInput> onEvent(MissionEvent event, Instant now) {
    if (done()) {
      return List.of();
    }
    if (event.getSequence() == 0) {
      if (current == 0 && event.getEvent() instanceof InputRejected) {
        // The start named a plan the coordinator had not loaded yet; onQuiet sends it again.
        startRejected = true;
      } else {
        divergence = "the replay rejected an input as naming no mission: " + describe(event);
      }
      return List.of();
    }
    ReplayInput input = inputs.get(current);
    MissionEvent wanted = input.expected().get(seen);
    MissionEvent got = TimeShift.shift(event, shift.negated());
    if (wanted.getSequence() != got.getSequence() || wanted.getEvent().getClass() != got.getEvent().getClass()) {
      divergence = "after " + input.description() + " the original has " + describe(wanted) + ", but the replay "
          + describe(got) + (got.getCause().getKind() == CauseKind.TIMER && input.channel() != Channel.TIMER
              ? " (a timer fired sooner after the inputs before it than in the original)" : "");
      return List.of();
    }
    CauseKind kind = wanted.getCause().getKind();
    if (InputsFromLog.raisedByCoordinator(kind) && kind == got.getCause().getKind()) {
      Duration drift = Duration.between(wanted.getTimestamp(), got.getTimestamp()).abs();
      timerDrift = drift.compareTo(timerDrift) > 0 ? drift : timerDrift;
      got = atFireTimeOf(wanted, got);
    } else if (kind == CauseKind.RESULTS && got.getCause().getKind() == CauseKind.RESULTS) {
      // The results index's answers are logged no earlier than the mission's event before them
      // (since 2026-12-07); a log written before has them at the lookup's time, earlier.
      got = atFireTimeOf(wanted, got);
    }
    got = asLoggedBeforeV10(wanted, got);
    if (!wanted.equals(got)) {
      mismatches.add("event " + got.getSequence() + " differs: original " + EventFields.of(wanted) + ", replay "
          + EventFields.of(got));
    }
    replayed.add(got);
    reached = got.getSequence();
    seen++;
    return seen == input.expected().size() ? advance(now) : List.of();
  }

  /** Called when the coordinator has been silent a while: the start to send again, if its plan was not loaded. */
  Optional<ReplayInput> onQuiet() {
    if (!startRejected || done()) {
      return Optional.empty();
    }
    startRejected = false;
    startResends++;
    return Optional.of(inputs.get(0));
  }

  /** Whether every input was replayed and answered, or the replay diverged. */
  boolean done() {
    return divergence != null || current >= inputs.size();
  }

  /** How the replay first went another way than the original, if it did. */
  Optional<String> divergence() {
    return Optional.ofNullable(divergence);
  }

  /**
   * A timer-caused event as if its timer had fired when the original's did: {@code got} with the
   * timestamp of {@code wanted}, and a scheduled retry's due time moved by as much.
   */
  static MissionEvent atFireTimeOf(MissionEvent wanted, MissionEvent got) {
    Duration late = Duration.between(wanted.getTimestamp(), got.getTimestamp());
    MissionEvent aligned = MissionEvent.newBuilder(got).setTimestamp(wanted.getTimestamp()).build();
    if (aligned.getEvent() instanceof StageRetryScheduled retry) {
      aligned.setEvent(StageRetryScheduled.newBuilder(retry).setDueAt(retry.getDueAt().minus(late)).build());
    }
    return aligned;
  }

  /**
   * A reset the original logged before v10 of {@code MissionEvent}, without {@code
   * retryPolicyAnew}, as the original has it: this build sets it on every reset. Whether the stage
   * is then retried where the original's was not shows in the events that follow.
   */
  static MissionEvent asLoggedBeforeV10(MissionEvent wanted, MissionEvent got) {
    if (wanted.getEvent() instanceof StageReset original && !original.getRetryPolicyAnew()
        && got.getEvent() instanceof StageReset replay && replay.getRetryPolicyAnew()) {
      return MissionEvent.newBuilder(got).setEvent(StageReset.newBuilder(replay).setRetryPolicyAnew(false).build()).build();
    }
    return got;
  }

  /** The largest difference between a timer's fire time in the replay and in the original; tolerated. */
  Duration timerDrift() {
    return timerDrift;
  }

  /** Events of the same kind and sequence whose contents differ, beyond a timer's fire time. */
  List<String> mismatches() {
    return List.copyOf(mismatches);
  }

  /** How much later than the original each input is to be stamped, for the inputs returned last. */
  Duration shift() {
    return shift;
  }

  /** The events the replay wrote, with the shift taken off: the original's, where it reproduced them. */
  List<MissionEvent> replayed() {
    return List.copyOf(replayed);
  }

  /** Sequence of the last event reproduced. */
  long reached() {
    return reached;
  }

  /** Times the start was sent again because the coordinator had not loaded its plan yet. */
  int startResends() {
    return startResends;
  }

  /** The input whose events are awaited, for a message on timeout. */
  Optional<ReplayInput> awaited() {
    return done() ? Optional.empty() : Optional.of(inputs.get(current));
  }

  private List<ReplayInput> advance(Instant now) {
    current++;
    seen = 0;
    if (current >= inputs.size() || inputs.get(current).channel() == Channel.TIMER) {
      return List.of();
    }
    ReplayInput next = inputs.get(current);
    // Whole milliseconds: record timestamps have no finer unit, and the shift must come off exactly.
    Duration behind = Duration.between(next.timestamp(), now).truncatedTo(ChronoUnit.MILLIS);
    if (behind.compareTo(shift) > 0) {
      shift = behind;
    }
    return List.of(next);
  }

  private static String describe(MissionEvent event) {
    return "event " + event.getSequence() + " " + MissionFold.kind(event);
  }
}
