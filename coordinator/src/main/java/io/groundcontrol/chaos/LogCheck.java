package io.groundcontrol.chaos;

import io.groundcontrol.schema.InputRejected;
import io.groundcontrol.schema.MissionCancelled;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionFailed;
import io.groundcontrol.schema.MissionFinished;
import io.groundcontrol.schema.MissionResumed;
import io.groundcontrol.schema.MissionStarted;
import io.groundcontrol.schema.StageDispatched;
import io.groundcontrol.schema.StageFailed;
import io.groundcontrol.schema.StageStarted;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks an event log after a fault: what a user must be able to count on, mission by mission.
 * Pure: reads events, no Kafka.
 */
public final class LogCheck {
  private static final Pattern FINISH_INPUT = Pattern.compile("^finish stage '(.+)' \\(attempt (\\d+)\\)");

  private LogCheck() {}

  /**
   * What the log says.
   *
   * @param expected missions the run started
   * @param started missions with a {@code MissionStarted}
   * @param endedByStatus missions by how they ended (FINISHED, FAILED, CANCELLED)
   * @param neverEnded missions expected that did not end, by id
   * @param startedTwice missions started more than once
   * @param endedTwice missions that ended more than once without a resume in between
   * @param dispatchedTwice attempts (mission, stage, attempt) dispatched more than once
   * @param sequenceGaps missions whose sequence numbers are not 1, 2, 3...
   * @param rejectedInTime finish reports written before their attempt's deadline but rejected; only a
   *     started attempt has a deadline (its {@code StageStarted} plus the stage's timeout): one whose
   *     worker reported only its outcome had none to miss
   * @param failureReasons reasons of failed stage attempts, by their first words, with counts
   */
  public record Tally(
      int expected,
      int started,
      Map<String, Integer> endedByStatus,
      List<String> neverEnded,
      int startedTwice,
      int endedTwice,
      int dispatchedTwice,
      int sequenceGaps,
      int rejectedInTime,
      Map<String, Integer> failureReasons) {

    /** Whether anything was lost or done twice, or an in-time report was rejected. */
    public boolean broken() {
      return !neverEnded.isEmpty() || startedTwice > 0 || endedTwice > 0 || dispatchedTwice > 0 || sequenceGaps > 0
          || rejectedInTime > 0;
    }

    public int ended(String status) {
      return endedByStatus.getOrDefault(status, 0);
    }
  }

  /**
   * Checks the events of {@code expected} missions.
   *
   * @param events each mission's events in log order
   * @param timeout the timeout of a stage of a mission, if it has one
   */
  public static Tally check(Collection<String> expected, Map<String, List<MissionEvent>> events,
      Function<String, Optional<Duration>> timeout) {
    int started = 0;
    int startedTwice = 0;
    int endedTwice = 0;
    int dispatchedTwice = 0;
    int sequenceGaps = 0;
    int rejectedInTime = 0;
    Map<String, Integer> endedByStatus = new TreeMap<>();
    Map<String, Integer> failureReasons = new TreeMap<>();
    List<String> neverEnded = new java.util.ArrayList<>();
    for (String missionId : expected) {
      List<MissionEvent> log = events.getOrDefault(missionId, List.of());
      int starts = 0;
      int ends = 0;
      String endedAs = null;
      Set<String> dispatches = new HashSet<>();
      Map<String, Instant> deadlines = new HashMap<>();
      long sequence = 0;
      boolean gap = false;
      for (MissionEvent event : log) {
        if (event.getSequence() == 0) {
          continue;
        }
        gap |= event.getSequence() != ++sequence;
        Object e = event.getEvent();
        if (e instanceof MissionStarted) {
          starts++;
        } else if (e instanceof MissionResumed) {
          ends = 0;
        } else if (e instanceof MissionFinished || e instanceof MissionFailed || e instanceof MissionCancelled) {
          ends++;
          endedAs = e instanceof MissionFinished ? "FINISHED" : e instanceof MissionFailed ? "FAILED" : "CANCELLED";
          if (ends == 2) {
            endedTwice++;
          }
        } else if (e instanceof StageDispatched dispatched
            && !dispatches.add(dispatched.getStage() + "#" + dispatched.getAttempt())) {
          dispatchedTwice++;
        } else if (e instanceof StageStarted s) {
          Instant startedAt = s.getStartedAt() != null ? s.getStartedAt() : event.getTimestamp();
          timeout.apply(s.getStage()).ifPresent(limit ->
              deadlines.put(s.getStage() + "#" + s.getAttempt(), startedAt.plus(limit)));
        } else if (e instanceof StageFailed failed) {
          failureReasons.merge(reasonKind(failed.getError().getMessage()), 1, Integer::sum);
        } else if (e instanceof InputRejected rejected && inTime(rejected, event.getTimestamp(), deadlines)) {
          rejectedInTime++;
        }
      }
      if (starts > 0) {
        started++;
      }
      if (starts > 1) {
        startedTwice++;
      }
      if (gap) {
        sequenceGaps++;
      }
      if (endedAs == null) {
        neverEnded.add(missionId);
      } else {
        endedByStatus.merge(endedAs, 1, Integer::sum);
      }
    }
    return new Tally(expected.size(), started, endedByStatus, neverEnded, startedTwice, endedTwice, dispatchedTwice,
        sequenceGaps, rejectedInTime, failureReasons);
  }

  /** A rejected finish report written at or before its attempt's deadline. */
  private static boolean inTime(InputRejected rejected, Instant writtenAt, Map<String, Instant> deadlines) {
    Matcher finish = FINISH_INPUT.matcher(rejected.getInput());
    if (!finish.find()) {
      return false;
    }
    Instant deadline = deadlines.get(finish.group(1) + "#" + finish.group(2));
    return deadline != null && !writtenAt.isAfter(deadline);
  }

  /** The kind of a failure, for counting: its message up to the first digit or quote. */
  static String reasonKind(String message) {
    Matcher kind = Pattern.compile("^[^0-9'(:]*").matcher(message == null ? "" : message);
    String text = kind.find() ? kind.group().strip() : "";
    return text.isEmpty() ? "(no message)" : text;
  }
}
