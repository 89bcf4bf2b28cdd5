package io.groundcontrol.audit;

import io.groundcontrol.audit.ReplayInput.Channel;
import io.groundcontrol.schema.CancelMission;
import io.groundcontrol.schema.Cause;
import io.groundcontrol.schema.CauseKind;
import io.groundcontrol.schema.InputRejected;
import io.groundcontrol.schema.MissionCancelled;
import io.groundcontrol.schema.MissionCommand;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionStarted;
import io.groundcontrol.schema.ReportFailed;
import io.groundcontrol.schema.ReportFinished;
import io.groundcontrol.schema.ReportStarted;
import io.groundcontrol.schema.StageExcluded;
import io.groundcontrol.schema.StageFailed;
import io.groundcontrol.schema.StageFinished;
import io.groundcontrol.schema.StageReport;
import io.groundcontrol.schema.StageSkipped;
import io.groundcontrol.schema.StageStarted;
import io.groundcontrol.schema.StartMission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/**
 * Recovers a mission's inputs from its events: the start command from {@code MissionStarted}, each
 * worker report from the {@code StageStarted}, {@code StageFinished} or {@code StageFailed} it
 * caused, a cancel from {@code MissionCancelled}, and rejected inputs from their
 * {@link RejectedInputs description}. Every event of one input carries that input's timestamp and
 * cause, and the input's own event comes first, so the events split into one group per input.
 *
 * <p>What the log does not hold is not invented: a group that cannot be turned back into its input
 * ends the recovery there, with the reason.
 */
public final class InputsFromLog {
  private static final Map<Class<?>, Class<? extends SpecificRecord>> REPORTED = Map.of(
      StageStarted.class, ReportStarted.class,
      StageFinished.class, ReportFinished.class,
      StageFailed.class, ReportFailed.class);

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

  static List<List<MissionEvent>> groups(List<MissionEvent> events) {
    List<List<MissionEvent>> groups = new ArrayList<>();
    MissionEvent previous = null;
    for (MissionEvent event : events) {
      if (event.getSequence() == 0) {
        continue;
      }
      if (previous == null || startsInput(event) || !sameInput(previous, event)) {
        groups.add(new ArrayList<>());
      }
      groups.get(groups.size() - 1).add(event);
      previous = event;
    }
    return groups;
  }

  /** Event kinds that are an input's own first event, for the cause kind that sends such inputs. */
  private static boolean startsInput(MissionEvent event) {
    Object payload = event.getEvent();
    CauseKind cause = event.getCause().getKind();
    return payload instanceof InputRejected
        || (cause == CauseKind.REPORT && REPORTED.containsKey(payload.getClass()))
        || (cause == CauseKind.COMMAND && (payload instanceof MissionStarted || payload instanceof MissionCancelled));
  }

  private static boolean sameInput(MissionEvent a, MissionEvent b) {
    return a.getTimestamp().equals(b.getTimestamp()) && Objects.equals(a.getCause(), b.getCause());
  }

  private static Optional<ReplayInput> input(List<MissionEvent> group) {
    MissionEvent first = group.get(0);
    Object payload = first.getEvent();
    Cause cause = first.getCause();
    if (cause.getKind() == CauseKind.TIMER) {
      return Optional.of(new ReplayInput(Channel.TIMER, null, first.getTimestamp(), group, "timer"));
    }
    if (payload instanceof InputRejected rejected) {
      return RejectedInputs.recover(first, rejected).map(record -> input(group, record, "rejected " + rejected.getInput()));
    }
    if (cause.getKind() == CauseKind.REPORT && REPORTED.containsKey(payload.getClass())) {
      return Optional.of(input(group, report(first, (SpecificRecord) payload), describe(first)));
    }
    if (cause.getKind() == CauseKind.COMMAND && payload instanceof MissionStarted started && startFrom(group).isEmpty()) {
      return Optional.of(input(group, command(first, start(started, group)), "start mission on plan '"
          + started.getPlanName() + "'"));
    }
    if (cause.getKind() == CauseKind.COMMAND && payload instanceof MissionCancelled cancelled) {
      return Optional.of(input(group, command(first, CancelMission.newBuilder().setReason(cancelReason(cancelled, cause)).build()), "cancel mission"));
    }
    return manualOperation(group);
  }

  /**
   * Retries, skips and manual failures (RetryStage, SkipStage, FailStage: their events are
   * StageReset, StageSkipped, MissionResumed or StageFailed caused by a command) are not recovered
   * yet: the state machine for them is still changing. Recover them here once it settles.
   */
  private static Optional<ReplayInput> manualOperation(List<MissionEvent> group) {
    return Optional.empty();
  }

  /**
   * A start that ran only some stages and skipped the rest ({@code startFrom}) leaves StageSkipped
   * events in its group. Recovering {@code startFrom} from them belongs with the skip operations
   * in {@link #manualOperation}; until then such a start is not recovered.
   */
  private static Optional<String> startFrom(List<MissionEvent> group) {
    boolean skipped = group.stream().anyMatch(e -> e.getEvent() instanceof StageSkipped);
    return skipped ? Optional.of("skipped stages") : Optional.empty();
  }

  private static String whyNot(List<MissionEvent> group) {
    Object payload = group.get(0).getEvent();
    if (payload instanceof InputRejected rejected) {
      return "the rejected input '" + rejected.getInput() + "' cannot be rebuilt from its description";
    }
    if (payload instanceof MissionStarted) {
      return "a start that skips stages (startFrom) is not recovered yet";
    }
    return "this kind of input is not recovered yet (manual operations: see InputsFromLog.manualOperation)";
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
        .build();
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
