package io.groundcontrol.mission;

import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.CancelMission;
import io.groundcontrol.schema.FailStage;
import io.groundcontrol.schema.RejectionReason;
import io.groundcontrol.schema.RetryStage;
import io.groundcontrol.schema.SkipStage;
import io.groundcontrol.schema.Cause;
import io.groundcontrol.schema.CauseKind;
import io.groundcontrol.schema.MissionAdmission;
import io.groundcontrol.schema.MissionCommand;
import io.groundcontrol.schema.ReportFailed;
import io.groundcontrol.schema.ReportFinished;
import io.groundcontrol.schema.ReportHeartbeat;
import io.groundcontrol.schema.ReportStarted;
import io.groundcontrol.schema.ResultAnswer;
import io.groundcontrol.schema.SlotGrant;
import io.groundcontrol.schema.StageReport;
import io.groundcontrol.schema.StartMission;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Decides what each input means for its mission. Plain Java: no Kafka types, no clock (the
 * coordinator's comes in as data); the time of every event is the timestamp of the input that
 * caused it, but an answer of the admission sub-topologies (a slot grant, a place under
 * max_active_missions) or of the results index is stamped no earlier than the mission's last event (see {@link
 * #eventTime}). Routing is one table from payload kind to processor; each processor appends events
 * through its context, which applies them with the same {@link EventAppliers} that replay uses.
 */
public final class MissionEngine {
  /** The actor of timer-caused events. */
  public static final Actor TIMER = new Actor(ActorKind.COORDINATOR, "timer", null);
  /** The actor of events caused by an answer of the results index. */
  public static final Actor RESULTS = new Actor(ActorKind.COORDINATOR, "results", null);
  /** The actor of events caused by a slot grant. */
  public static final Actor ADMISSION = new Actor(ActorKind.COORDINATOR, "admission", null);
  /** The actor of events caused by an answer of the mission-limits sub-topology (max_active_missions). */
  public static final Actor MISSION_LIMITS = new Actor(ActorKind.COORDINATOR, "mission-limits", null);

  private final Map<Class<?>, InputProcessor<MissionCommand, ?>> commandProcessors = new HashMap<>();
  private final Map<Class<?>, InputProcessor<StageReport, ?>> reportProcessors = new HashMap<>();
  private final TimerProcessor timers = new TimerProcessor();
  private final ResultAnswerProcessor resultAnswers = new ResultAnswerProcessor();
  private final SlotGrantProcessor grants = new SlotGrantProcessor();
  private final MissionAdmissionProcessor admissions = new MissionAdmissionProcessor();
  private final ComponentLookup components;
  private final PlanLookup plans;
  private final EventAppliers appliers = new EventAppliers();
  private final Retention retention;

  /** An engine that finds plans through {@code plans}, with the default limits and no component capped. */
  public MissionEngine(PlanLookup plans) {
    this(plans, MissionLimits.DEFAULTS);
  }

  /** An engine that finds plans through {@code plans} and holds missions to {@code limits}; no component capped. */
  public MissionEngine(PlanLookup plans, MissionLimits limits) {
    this(plans, limits, ComponentLookup.UNCAPPED);
  }

  /** An engine that finds plans through {@code plans} and caps through {@code components}, with the default limits. */
  public MissionEngine(PlanLookup plans, ComponentLookup components) {
    this(plans, MissionLimits.DEFAULTS, components);
  }

  /**
   * An engine that finds plans through {@code plans}, holds missions to {@code limits} and caps
   * components through {@code components}.
   */
  public MissionEngine(PlanLookup plans, MissionLimits limits, ComponentLookup components) {
    this.plans = Objects.requireNonNull(plans, "plans");
    Objects.requireNonNull(limits, "limits");
    this.components = Objects.requireNonNull(components, "components");
    this.retention = new Retention(limits.retention());
    onCommand(StartMission.class, new StartMissionProcessor());
    onCommand(CancelMission.class, new CancelMissionProcessor());
    onCommand(RetryStage.class, new ManualStageProcessors.Retry());
    onCommand(SkipStage.class, new ManualStageProcessors.Skip());
    onCommand(FailStage.class, new ManualStageProcessors.Fail());
    onReport(ReportStarted.class, new StageReportProcessors.Started());
    onReport(ReportFinished.class, new StageReportProcessors.Finished(limits));
    onReport(ReportFailed.class, new StageReportProcessors.Failed());
    onReport(ReportHeartbeat.class, new StageReportProcessors.Heartbeat());
  }

  private <P> void onCommand(Class<P> kind, InputProcessor<MissionCommand, P> processor) {
    commandProcessors.put(kind, processor);
  }

  private <P> void onReport(Class<P> kind, InputProcessor<StageReport, P> processor) {
    reportProcessors.put(kind, processor);
  }

  /**
   * Decides one input: a {@link MissionCommand}, a {@link StageReport}, a {@link TimerFired}, a
   * {@link ResultAnswer}, a {@link SlotGrant} or a {@link MissionAdmission}.
   *
   * @param mission the mission the input names as stored, or null if none is; it is changed in
   *     place by the events decided, so pass a fresh copy
   * @param input the command, report, timer or grant
   * @param timestamp the input record's timestamp: the time of every resulting event, and, as if
   *     the input were read as it was written, the start of every wait it begins
   * @throws IllegalArgumentException if {@code input} is neither a command nor a report
   */
  public Decision decide(Mission mission, Object input, Instant timestamp) {
    return decide(mission, input, timestamp, timestamp);
  }

  /**
   * Decides one input, as {@link #decide(Mission, Object, Instant)}, read by the coordinator at
   * {@code readAt} on its own clock. Events keep the input's {@code timestamp}. Two waits count on the
   * coordinator's clock instead: a start timeout from when the dispatch is written (never before the
   * input), and the watch of a started worker's heartbeats from {@code readAt}, as heartbeats count
   * when they are read.
   *
   * @param readAt when the coordinator read the input, on its own clock
   */
  public Decision decide(Mission mission, Object input, Instant timestamp, Instant readAt) {
    ProcessingContext context = contextFor(mission, input, timestamp, readAt);
    if (input instanceof MissionCommand command) {
      route(commandProcessors, command, command.getCommand(), context);
    } else if (input instanceof TimerFired timer && timer.kind() == TimerFired.Kind.FORGET) {
      retention.decide(context, timer.dueAt());
    } else if (input instanceof TimerFired timer) {
      timers.process(timer, timer, context);
    } else if (input instanceof ResultAnswer answer) {
      resultAnswers.process(answer, answer, context);
    } else if (input instanceof SlotGrant grant) {
      grants.process(grant, grant, context);
    } else if (input instanceof MissionAdmission admission) {
      admissions.process(admission, admission, context);
    } else {
      StageReport report = (StageReport) input;
      route(reportProcessors, report, report.getOutcome(), context);
    }
    FanOuts.afterChunkInput(context, stageNamedBy(input));
    return context.decision();
  }

  /**
   * Records that {@code input} could not be processed, changing nothing else. For inputs whose
   * processing failed unexpectedly: the mission must be the stored one, not a partly changed copy.
   */
  public Decision reject(Mission mission, Object input, Instant timestamp, String reason) {
    ProcessingContext context = contextFor(mission, input, timestamp, timestamp);
    context.reject(RejectionReason.PROCESSING_FAILED, describe(input), reason);
    return context.decision();
  }

  /** The mission id an input names. */
  public static String missionIdOf(Object input) {
    if (input instanceof MissionCommand command) {
      return command.getMissionId();
    }
    if (input instanceof StageReport report) {
      return report.getMissionId();
    }
    if (input instanceof TimerFired timer) {
      return timer.missionId();
    }
    if (input instanceof ResultAnswer answer) {
      return answer.getMissionId();
    }
    if (input instanceof SlotGrant grant) {
      return grant.getMissionId();
    }
    if (input instanceof MissionAdmission admission) {
      return admission.getMissionId();
    }
    throw new IllegalArgumentException("Expected a MissionCommand, StageReport, TimerFired, ResultAnswer, SlotGrant or MissionAdmission, but got "
        + (input == null ? "null" : input.getClass().getName()));
  }

  /** The stage instance an input is about, or null for a whole-mission input. */
  private static String stageNamedBy(Object input) {
    if (input instanceof StageReport report) {
      return report.getStage();
    } else if (input instanceof TimerFired timer) {
      return timer.stage();
    } else if (input instanceof ResultAnswer answer) {
      return answer.getStage();
    } else if (input instanceof SlotGrant grant) {
      return grant.getStage();
    } else if (input instanceof MissionCommand command) {
      Object payload = command.getCommand();
      if (payload instanceof RetryStage retry) {
        return retry.getStage();
      } else if (payload instanceof SkipStage skip) {
        return skip.getStage();
      } else if (payload instanceof FailStage fail) {
        return fail.getStage();
      }
    }
    return null;
  }

  private ProcessingContext contextFor(Mission mission, Object input, Instant timestamp, Instant readAt) {
    String missionId = missionIdOf(input);
    Cause cause;
    if (input instanceof StageReport report) {
      cause = new Cause(CauseKind.REPORT, report.getWorker(), report.getAttempt());
    } else if (input instanceof TimerFired timer) {
      cause = new Cause(CauseKind.TIMER, TIMER, timer.attempt());
    } else if (input instanceof ResultAnswer) {
      cause = new Cause(CauseKind.RESULTS, RESULTS, null);
    } else if (input instanceof SlotGrant grant) {
      cause = new Cause(CauseKind.ADMISSION, ADMISSION, grant.getAttempt());
    } else if (input instanceof MissionAdmission) {
      cause = new Cause(CauseKind.ADMISSION, MISSION_LIMITS, null);
    } else {
      cause = new Cause(CauseKind.COMMAND, ((MissionCommand) input).getIssuedBy(), null);
    }
    return new ProcessingContext(missionId, mission, timestamp, eventTime(mission, cause, timestamp), readAt, cause,
        plans, components, appliers);
  }

  /**
   * The time of the events an input decides. An admission sub-topology stamps its answer with the
   * time of the record it decided on there (the release that freed the slot, the request, or its
   * own clock on a tick), and the results index its answer with the time of the lookup or result
   * it answers; the mission logs other inputs meanwhile, worker reports stamped later: its dispatch
   * or reuse would go back in the log by that hop's time. Such an answer's events are stamped no
   * earlier than the mission's last event. Decisions still count from the answer's own time, and a
   * replay awaits these answers from its own admission and results index and aligns their times
   * (as timers'), so nothing a replay compares changes.
   */
  private static Instant eventTime(Mission mission, Cause cause, Instant timestamp) {
    boolean answer = cause.getKind() == CauseKind.ADMISSION || cause.getKind() == CauseKind.RESULTS;
    if (!answer || mission == null || !mission.updatedAt().isAfter(timestamp)) {
      return timestamp;
    }
    return mission.updatedAt();
  }

  private static String describe(Object input) {
    if (input instanceof StageReport report) {
      return Rejections.describe(report, report.getOutcome().getClass().getSimpleName());
    }
    if (input instanceof ResultAnswer answer) {
      return ResultAnswerProcessor.describe(answer);
    }
    if (input instanceof TimerFired timer && timer.kind() == TimerFired.Kind.FORGET) {
      return "retention timer";
    }
    if (input instanceof TimerFired timer) {
      return timer.kind() + " timer of stage '" + timer.stage() + "' (attempt " + timer.attempt() + ")";
    }
    if (input instanceof SlotGrant grant) {
      return "slot grant of '" + grant.getComponent() + "' for stage '" + grant.getStage() + "' (attempt "
          + grant.getAttempt() + ")";
    }
    if (input instanceof MissionAdmission admission) {
      return (admission.getAdmitted() ? "admission" : "wait") + " under max_active_missions of plan '"
          + admission.getPlanName() + "'";
    }
    MissionCommand command = (MissionCommand) input;
    return command.getCommand().getClass().getSimpleName() + " by " + command.getIssuedBy().getId();
  }

  /** The appliers this engine applies events with; replay must use an equal set. */
  public EventAppliers appliers() {
    return appliers;
  }

  @SuppressWarnings("unchecked")
  private static <E> void route(
      Map<Class<?>, InputProcessor<E, ?>> table, E envelope, Object payload, ProcessingContext context) {
    InputProcessor<E, Object> processor = (InputProcessor<E, Object>) table.get(payload.getClass());
    if (processor == null) {
      context.reject(RejectionReason.UNKNOWN_INPUT_KIND, payload.getClass().getSimpleName(), "Expected a known input kind, but got "
          + payload.getClass().getName());
      return;
    }
    processor.process(envelope, payload, context);
  }

}
