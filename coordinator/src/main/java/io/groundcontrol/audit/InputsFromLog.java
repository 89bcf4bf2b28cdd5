package io.groundcontrol.audit;

import io.groundcontrol.audit.ReplayInput.Channel;
import io.groundcontrol.mission.EventAppliers;
import io.groundcontrol.mission.ManualStageErrors;
import io.groundcontrol.mission.Mission;
import io.groundcontrol.schema.CancelMission;
import io.groundcontrol.schema.Cause;
import io.groundcontrol.schema.CauseKind;
import io.groundcontrol.schema.FailStage;
import io.groundcontrol.schema.InputRejected;
import io.groundcontrol.schema.RejectionReason;
import io.groundcontrol.schema.StartDeduplicated;
import io.groundcontrol.schema.MissionAdmitted;
import io.groundcontrol.schema.MissionCancelled;
import io.groundcontrol.schema.MissionCommand;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionResumed;
import io.groundcontrol.schema.MissionWaiting;
import io.groundcontrol.schema.MissionStarted;
import io.groundcontrol.schema.ReportFailed;
import io.groundcontrol.schema.ReportFinished;
import io.groundcontrol.schema.ReportStarted;
import io.groundcontrol.schema.RetryStage;
import io.groundcontrol.schema.SkipStage;
import io.groundcontrol.schema.StageExcluded;
import io.groundcontrol.schema.StageDispatched;
import io.groundcontrol.schema.StageFailed;
import io.groundcontrol.schema.StageFinished;
import io.groundcontrol.schema.StageReport;
import io.groundcontrol.schema.StageReset;
import io.groundcontrol.schema.StageSkipped;
import io.groundcontrol.schema.StageStarted;
import io.groundcontrol.schema.StartMission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/**
 * Recovers a mission's inputs from its events: the start command from {@code MissionStarted} (with
 * its excluded stages and its start point), each worker report from the {@code StageStarted},
 * {@code StageFinished} or {@code StageFailed} it caused (an outcome with no {@code StageStarted}
 * before it is an attempt whose worker reported only the outcome; a log written before v8 of the
 * events has a {@code StageStarted} the coordinator recorded for it, without a heartbeat interval,
 * which becomes a start report of its own and replays to the same events), a cancel from
 * {@code MissionCancelled}, the manual stage operations from the events they leave (see
 * {@link #manualOperation}), and rejected inputs from their {@link RejectedInputs description}.
 * Every event of one input carries that input's timestamp and cause, and the input's own event
 * comes first (after a {@code MissionResumed}, for an operation that reopens an ended mission), so
 * the events split into one group per input. An input also ends stages on the way: a fan-out stage
 * with its last chunk, a stage whose params its upstream left unresolved. Such an outcome is told
 * from a report's own by the stage having no attempt out, and from a fail command's own by its
 * error, which names no operator.
 *
 * <p>Events caused by the coordinator's timers (a retry's dispatch, a timeout, a lost worker) or by
 * its results index's answers are not inputs: they become {@link ReplayInput.Channel#TIMER} groups,
 * which a replay awaits and never sends, since the coordinator replaying the mission sets the same
 * timers and asks its own results index. (A replay into an empty prefix has no earlier results, so
 * a stage that was REUSED runs there instead, and the replay diverges: docs/audit.md, "Reused
 * results are not reproduced".)
 *
 * <p>What the log does not hold is not invented: a group that cannot be turned back into its input
 * ends the recovery there, with the reason.
 */
public final class InputsFromLog {
  private static final Map<Class<?>, Class<? extends SpecificRecord>> REPORTED = Map.of(
      StageStarted.class, ReportStarted.class,
      StageFinished.class, ReportFinished.class,
      StageFailed.class, ReportFailed.class);
  /** Reason of a {@code StageReset} that a retry with downstream adds after the retried stage's own. */
  private static final String DOWNSTREAM_RESET = "upstream stage '";
  /** Reason of the {@code StageSkipped} events of a start with {@code startFrom}: the stages, joined by ", ". */
  private static final String START_POINT = "before the start point (";

  private InputsFromLog() {}

  /**
   * The inputs recovered, in order.
   *
   * @param inputs every input up to the first that cannot be recovered
   * @param stoppedAt why recovery stopped early, naming the event; empty if every input was recovered
   */
  public record Recovered(List<ReplayInput> inputs, Optional<String> stoppedAt) {}

  /** Recovers the inputs of one mission from its events in log order; sequence-0 rejections are left out. */
  public static Recovered from(List<MissionEvent> events) {
    List<ReplayInput> inputs = new ArrayList<>();
    for (List<MissionEvent> group : groups(events)) {
      Optional<ReplayInput> input = input(group);
      if (input.isEmpty()) {
        MissionEvent first = group.get(0);
        return new Recovered(inputs, Optional.of("event " + first.getSequence() + " (" + MissionFold.kind(first) + ", "
            + Timeline.cause(first.getCause()) + "): " + whyNot(group)));
      }
      inputs.add(input.get());
    }
    return new Recovered(inputs, Optional.empty());
  }

  /**
   * Whether events of this cause come from the coordinator itself, not from an input a replay
   * sends: a timer, or a slot grant of the admission sub-topology. A replay awaits them.
   */
  static boolean raisedByCoordinator(CauseKind kind) {
    return kind == CauseKind.TIMER || kind == CauseKind.ADMISSION;
  }

  static List<List<MissionEvent>> groups(List<MissionEvent> events) {
    List<List<MissionEvent>> groups = new ArrayList<>();
    AttemptsOut out = new AttemptsOut();
    MissionEvent previous = null;
    for (MissionEvent event : events) {
      if (event.getSequence() == 0) {
        continue;
      }
      boolean continues = previous != null && sameInput(previous, event)
          && (!startsInput(event, previous, out) || completesOvertaking(groups.get(groups.size() - 1), event));
      if (!continues) {
        groups.add(new ArrayList<>());
      }
      groups.get(groups.size() - 1).add(event);
      out.after(event);
      previous = event;
    }
    return groups;
  }

  /**
   * The mission as the log so far tells, folded through the same appliers as the coordinator's: a
   * report moves only an attempt that is out, and an outcome of a stage with none out (a fan-out
   * stage ending with its last chunk, a downstream stage whose params cannot be resolved) is one its
   * input decided on the way, not a report of its own. A log the appliers cannot fold is read as
   * before this check: every outcome a report caused is a report.
   */
  private static final class AttemptsOut {
    private final EventAppliers appliers = new EventAppliers();
    private Mission mission;
    private boolean folds = true;

    boolean holds(String stage, int attempt) {
      if (!folds) {
        return true;
      }
      return mission != null && mission.stage(stage)
          .filter(s -> s.attempt() == attempt && s.isActive() && s.fanOut().isEmpty()).isPresent();
    }

    void after(MissionEvent event) {
      if (folds) {
        try {
          mission = appliers.apply(mission, event);
        } catch (RuntimeException e) {
          folds = false;
        }
      }
    }
  }

  /**
   * Whether {@code event} is the report's own event after the dispatch that report recorded first:
   * a worker's report that overtook the grant of a queued attempt leaves {@code StageDispatched},
   * then its own event, both caused by the report.
   */
  private static boolean completesOvertaking(List<MissionEvent> group, MissionEvent event) {
    return group.size() == 1 && overtookGrant(group.get(0)) && REPORTED.containsKey(event.getEvent().getClass())
        && ((StageDispatched) group.get(0).getEvent()).getStage().equals(stringField((SpecificRecord) event.getEvent(), "stage"));
  }

  /** Whether {@code event} is the dispatch a worker's report recorded before its own event. */
  private static boolean overtookGrant(MissionEvent event) {
    return event.getCause().getKind() == CauseKind.REPORT && event.getEvent() instanceof StageDispatched;
  }

  /**
   * Whether {@code event} is an input's own first event, given the event before it of the same
   * cause and time: events that only inputs of its cause kind cause first. A retry or skip that
   * reopens an ended mission leaves {@code MissionResumed} first, then its own event.
   */
  private static boolean startsInput(MissionEvent event, MissionEvent previous, AttemptsOut out) {
    Object payload = event.getEvent();
    CauseKind cause = event.getCause().getKind();
    if (payload instanceof InputRejected || payload instanceof StartDeduplicated) {
      return true;
    }
    if (cause == CauseKind.REPORT) {
      if (!REPORTED.containsKey(payload.getClass())) {
        return false;
      }
      SpecificRecord outcome = (SpecificRecord) payload;
      return out.holds(stringField(outcome, "stage"), (Integer) outcome.get(outcome.getSchema().getField("attempt").pos()));
    }
    if (cause != CauseKind.COMMAND) {
      return false;
    }
    boolean afterResume = previous.getEvent() instanceof MissionResumed;
    return payload instanceof MissionStarted
        || payload instanceof MissionCancelled
        || payload instanceof MissionResumed
        || (payload instanceof StageFailed failed && failed.getError().getMessage().startsWith(ManualStageErrors.MARKED_FAILED_BY))
        || (payload instanceof StageReset reset && !reset.getReason().startsWith(DOWNSTREAM_RESET) && !afterResume)
        || (payload instanceof StageSkipped skipped && !skipped.getReason().startsWith(START_POINT) && !afterResume);
  }

  private static boolean sameInput(MissionEvent a, MissionEvent b) {
    return a.getTimestamp().equals(b.getTimestamp()) && Objects.equals(a.getCause(), b.getCause());
  }

  private static Optional<ReplayInput> input(List<MissionEvent> group) {
    MissionEvent first = group.get(0);
    Object payload = first.getEvent();
    Cause cause = first.getCause();
    if (raisedByCoordinator(cause.getKind())) {
      return Optional.of(new ReplayInput(Channel.TIMER, null, first.getTimestamp(), group,
          cause.getKind() != CauseKind.ADMISSION ? "timer"
              : payload instanceof MissionAdmitted || payload instanceof MissionWaiting ? "mission admission" : "slot grant"));
    }
    if (cause.getKind() == CauseKind.RESULTS) {
      // Like a timer: the coordinator replaying the mission asks its own results index and gets the answer.
      return Optional.of(new ReplayInput(Channel.TIMER, null, first.getTimestamp(), group, "results index answer"));
    }
    if (payload instanceof InputRejected rejected) {
      return RejectedInputs.recover(first, rejected).map(record -> input(group, record, "rejected " + rejected.getInput()));
    }
    if (payload instanceof StartDeduplicated duplicate) {
      return RejectedInputs.recover(first, new InputRejected(duplicate.getInput(), "", RejectionReason.DUPLICATE_MISSION))
          .map(record -> input(group, record, "duplicate " + duplicate.getInput()));
    }
    if (cause.getKind() == CauseKind.REPORT && REPORTED.containsKey(payload.getClass())) {
      return Optional.of(input(group, report(first, (SpecificRecord) payload), describe(first)));
    }
    if (overtookGrant(first) && group.size() > 1) {
      MissionEvent own = group.get(1);
      return Optional.of(input(group, report(own, (SpecificRecord) own.getEvent()), describe(own)));
    }
    if (cause.getKind() == CauseKind.COMMAND && payload instanceof MissionStarted started) {
      return Optional.of(input(group, command(first, start(started, group)), "start mission on plan '"
          + started.getPlanName() + "'"));
    }
    if (cause.getKind() == CauseKind.COMMAND && payload instanceof MissionCancelled cancelled) {
      return Optional.of(input(group, command(first, CancelMission.newBuilder().setReason(cancelReason(cancelled, cause)).build()), "cancel mission"));
    }
    return manualOperation(group);
  }

  /**
   * A retry, skip or manual failure, from the events its processor leaves first
   * ({@code ManualStageProcessors}), all caused by the command:
   * <ul>
   *   <li>{@code StageReset(stage, "retried by U")}, after a {@code MissionResumed} if the mission had
   *       ended: {@code RetryStage(stage)}, with downstream if {@code StageReset} events with reason
   *       "upstream stage '...' retried by U" follow. A retry with downstream that found nothing
   *       downstream to reset leaves no such event, and is recovered as one without: the same
   *       command as far as the state machine is concerned;
   *   <li>{@code StageSkipped(stage, "skipped by U[: reason]")}, perhaps after a {@code MissionResumed}:
   *       {@code SkipStage(stage, reason)};
   *   <li>{@code StageFailed(stage, attempt, "marked failed by U[: reason]")}: {@code FailStage(stage, reason)}.
   * </ul>
   * A group of another shape is not recovered.
   */
  private static Optional<ReplayInput> manualOperation(List<MissionEvent> group) {
    MissionEvent first = group.get(0);
    if (first.getCause().getKind() != CauseKind.COMMAND) {
      return Optional.empty();
    }
    int own = first.getEvent() instanceof MissionResumed ? 1 : 0;
    if (own >= group.size()) {
      return Optional.empty();
    }
    Object payload = group.get(own).getEvent();
    String by = first.getCause().getActor().getId();
    if (payload instanceof StageReset reset && reset.getReason().equals("retried by " + by)) {
      boolean downstream = group.subList(own + 1, group.size()).stream()
          .anyMatch(e -> e.getEvent() instanceof StageReset r && r.getReason().startsWith(DOWNSTREAM_RESET));
      return Optional.of(input(group, command(first, new RetryStage(reset.getStage(), downstream)),
          "retry stage '" + reset.getStage() + "'" + (downstream ? " with downstream" : "") + " by " + by));
    }
    if (payload instanceof StageSkipped skipped) {
      return reasonAfter(skipped.getReason(), "skipped by " + by).map(reason -> input(group,
          command(first, new SkipStage(skipped.getStage(), reason.orElse(null))),
          "skip stage '" + skipped.getStage() + "' by " + by));
    }
    if (payload instanceof StageFailed failed && own == 0) {
      return reasonAfter(failed.getError().getMessage(), ManualStageErrors.MARKED_FAILED_BY + by).map(reason -> input(group,
          command(first, new FailStage(failed.getStage(), reason.orElse(null))),
          "fail stage '" + failed.getStage() + "' by " + by));
    }
    return Optional.empty();
  }

  /**
   * The reason a command gave, from the text the coordinator made of it: {@code prefix} alone for
   * none, {@code prefix + ": " + reason} for one. Empty if {@code text} has another shape.
   */
  static Optional<Optional<String>> reasonAfter(String text, String prefix) {
    if (text == null) {
      return Optional.empty();
    }
    if (text.equals(prefix)) {
      return Optional.of(Optional.empty());
    }
    return text.startsWith(prefix + ": ")
        ? Optional.of(Optional.of(text.substring(prefix.length() + 2)))
        : Optional.empty();
  }

  private static String whyNot(List<MissionEvent> group) {
    Object payload = group.get(0).getEvent();
    if (payload instanceof InputRejected rejected) {
      return "the rejected input '" + rejected.getInput() + "' cannot be rebuilt from its description";
    }
    return "no input known to this build leaves these events (" + group.stream().map(MissionFold::kind)
        .reduce((a, b) -> a + ", " + b).orElse("") + "; the shapes recovered are listed at InputsFromLog.manualOperation)";
  }

  private static StartMission start(MissionStarted started, List<MissionEvent> group) {
    List<String> excluded = new ArrayList<>();
    List<String> excludedAtStart = new ArrayList<>();
    for (MissionEvent event : group) {
      if (event.getEvent() instanceof StageExcluded e) {
        excluded.add(e.getStage());
        if (e.getReason().equals("excluded at start")) {
          excludedAtStart.add(e.getStage());
        }
      }
    }
    // Excluding a stage excludes its downstream too, so naming every excluded stage gives the same
    // state when the reasons no longer tell which were named.
    return StartMission.newBuilder()
        .setPlanName(started.getPlanName())
        .setParams(started.getParams())
        .setExcludedStages(excludedAtStart.isEmpty() ? excluded : excludedAtStart)
        .setStartFrom(startFrom(group))
        .setNoReuse(started.getNoReuse())
        .setPriority(started.getPriority())
        .build();
  }

  /**
   * The start point of a start that skipped the stages before it, from the reason of the
   * {@code StageSkipped} events it left: "before the start point (a, b)". A start point that left
   * nothing to skip (only root stages, say) leaves no such event and is recovered as none: with
   * nothing skipped, both dispatch the same roots. Stage names containing ", " would be split.
   */
  private static List<String> startFrom(List<MissionEvent> group) {
    for (MissionEvent event : group) {
      if (event.getEvent() instanceof StageSkipped skipped && skipped.getReason().startsWith(START_POINT)
          && skipped.getReason().endsWith(")")) {
        String named = skipped.getReason().substring(START_POINT.length(), skipped.getReason().length() - 1);
        return Arrays.asList(named.split(", "));
      }
    }
    return List.of();
  }

  /** The reason given to the cancel command, undoing the "(cancelled by ...)" the coordinator adds. */
  private static String cancelReason(MissionCancelled cancelled, Cause cause) {
    String reason = cancelled.getReason();
    String by = "cancelled by " + cause.getActor().getId();
    if (reason == null || reason.equals(by)) {
      return null;
    }
    String suffix = " (" + by + ")";
    return reason.endsWith(suffix) ? reason.substring(0, reason.length() - suffix.length()) : reason;
  }

  private static StageReport report(MissionEvent event, SpecificRecord payload) {
    SpecificRecord outcome = Records.copyInto(REPORTED.get(payload.getClass()), payload);
    return report(event, stringField(payload, "stage"), (Integer) payload.get(payload.getSchema().getField("attempt").pos()),
        outcome);
  }

  static StageReport report(MissionEvent event, String stage, int attempt, SpecificRecord outcome) {
    return StageReport.newBuilder()
        .setMissionId(event.getMissionId())
        .setStage(stage)
        .setAttempt(attempt)
        .setWorker(event.getCause().getActor())
        .setReportedAt(event.getTimestamp())
        .setOutcome(outcome)
        .build();
  }

  static MissionCommand command(MissionEvent event, Object command) {
    return MissionCommand.newBuilder()
        .setMissionId(event.getMissionId())
        .setIssuedBy(event.getCause().getActor())
        .setIssuedAt(event.getTimestamp())
        .setCommand(command)
        .build();
  }

  private static ReplayInput input(List<MissionEvent> group, SpecificRecord record, String description) {
    Channel channel = record instanceof StageReport ? Channel.REPORT : Channel.COMMAND;
    return new ReplayInput(channel, record, group.get(0).getTimestamp(), group, description);
  }

  private static String describe(MissionEvent event) {
    Object payload = event.getEvent();
    String verb = payload instanceof StageStarted ? "start" : payload instanceof StageFinished ? "finish" : "fail";
    SpecificRecord record = (SpecificRecord) payload;
    return verb + " stage '" + stringField(record, "stage") + "' (attempt "
        + record.get(record.getSchema().getField("attempt").pos()) + ") from worker " + event.getCause().getActor().getId();
  }

  private static String stringField(SpecificRecord record, String name) {
    return String.valueOf(record.get(record.getSchema().getField(name).pos()));
  }
}
