package io.groundcontrol.mission;

import static org.assertj.core.api.Assertions.assertThat;

import io.groundcontrol.coordinator.MissionStateCodec;
import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.CancelMission;
import io.groundcontrol.schema.FailStage;
import io.groundcontrol.schema.RetryStage;
import io.groundcontrol.schema.SkipStage;
import io.groundcontrol.schema.InputRejected;
import io.groundcontrol.schema.RejectionReason;
import io.groundcontrol.schema.SlotGrant;
import io.groundcontrol.schema.MissionCommand;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.ReportFailed;
import io.groundcontrol.schema.ReportFinished;
import io.groundcontrol.schema.ReportHeartbeat;
import io.groundcontrol.schema.ReportStarted;
import io.groundcontrol.schema.ResultAnswer;
import io.groundcontrol.schema.ResultRequest;
import io.groundcontrol.schema.StageError;
import io.groundcontrol.schema.StageInstruction;
import io.groundcontrol.schema.StageReport;
import io.groundcontrol.schema.StartMission;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Drives the engine the way the coordinator does (load stored state, decide, store), one input a
 * second apart, and after every input checks that folding the mission's log gives the stored state.
 */
public final class MissionHarness {
  private static final Actor USER = new Actor(ActorKind.USER, "ann", "laptop");

  private final InMemoryPlans plans;
  private final MissionEngine engine;
  private final Map<String, io.groundcontrol.schema.MissionState> store = new HashMap<>();
  private final Map<String, List<MissionEvent>> log = new HashMap<>();
  private Instant clock = Instant.parse("2026-11-22T10:00:00Z");
  private final List<TimerFired> timers = new ArrayList<>();
  private Decision last;
  private List<StageInstruction> lastInstructions = List.of();

  public MissionHarness(InMemoryPlans plans) {
    this(plans, MissionLimits.DEFAULTS);
  }

  public MissionHarness(InMemoryPlans plans, MissionLimits limits) {
    this(plans, limits, ComponentLookup.UNCAPPED);
  }

  /** A harness whose engine caps the components {@code components} says are capped. */
  public MissionHarness(InMemoryPlans plans, ComponentLookup components) {
    this(plans, MissionLimits.DEFAULTS, components);
  }

  /** A harness with these limits, capping the components {@code components} says are capped. */
  public MissionHarness(InMemoryPlans plans, MissionLimits limits, ComponentLookup components) {
    this.plans = plans;
    this.engine = new MissionEngine(plans, limits, components);
  }

  /** Starts a mission with a priority. */
  public MissionHarness startWithPriority(String missionId, String plan, int priority) {
    return command(missionId, new StartMission(plan, Map.of(), List.of(), List.of(), false, priority));
  }

  /** The admission sub-topology grants a slot to the stage's current attempt. */
  public MissionHarness grant(String missionId, String stage) {
    int attempt = mission(missionId).stage(stage).orElseThrow().attempt();
    return grant(missionId, stage, attempt);
  }

  /**
   * The admission sub-topology grants a slot to attempt {@code attempt} of the stage, and sent the
   * attempt to its workers with the grant.
   */
  public MissionHarness grant(String missionId, String stage, int attempt) {
    return input(new SlotGrant(missionId, stage, attempt, "c", clock, 1, 1, true, false, false));
  }

  /**
   * A grant stamped {@code earlier} before the last input, as the admission stamps a grant decided
   * on a record older than the mission's latest events; read now, the clock left where it is.
   */
  public MissionHarness grantStampedBefore(String missionId, String stage, Duration earlier) {
    int attempt = mission(missionId).stage(stage).orElseThrow().attempt();
    Instant grantedAt = clock.minus(earlier);
    return decide(new SlotGrant(missionId, stage, attempt, "c", grantedAt, 1, 1, true, false, false), grantedAt);
  }

  /** A grant from before the admission sub-topology sent instructions: the mission sends the RUN. */
  public MissionHarness grantWithoutInstruction(String missionId, String stage) {
    int attempt = mission(missionId).stage(stage).orElseThrow().attempt();
    return input(new SlotGrant(missionId, stage, attempt, "c", clock, 1, 1, false, false, false));
  }

  /**
   * The mission-limits sub-topology answers a WAITING mission: admitted, or not yet with the count
   * that holds it back.
   */
  public MissionHarness admission(String missionId, String plan, boolean admitted, int active, Integer limit) {
    MissionView mission = store.containsKey(missionId) ? mission(missionId) : null;
    return admission(missionId, plan, admitted, active, limit, mission == null ? 0 : mission.admissionAsk());
  }

  /** As above, answering the mission's ask number {@code ask}, which may not be its latest. */
  public MissionHarness admission(String missionId, String plan, boolean admitted, int active, Integer limit, int ask) {
    return input(new io.groundcontrol.schema.MissionAdmission(missionId, plan, admitted, active, limit, clock, ask));
  }

  /** The effects of the last input, in order. */
  public List<Effect> lastEffects() {
    return last.effects();
  }

  public MissionHarness start(String missionId, String plan) {
    return start(missionId, plan, Map.of(), List.of());
  }

  public MissionHarness start(String missionId, String plan, Map<String, String> params, List<String> excluded) {
    return command(missionId, new StartMission(plan, params, excluded, List.of(), false, 0));
  }

  public MissionHarness startFrom(String missionId, String plan, List<String> startFrom) {
    return command(missionId, new StartMission(plan, Map.of(), List.of(), startFrom, false, 0));
  }

  public MissionHarness retry(String missionId, String stage, boolean withDownstream) {
    return command(missionId, new RetryStage(stage, withDownstream));
  }

  public MissionHarness skip(String missionId, String stage) {
    return command(missionId, new SkipStage(stage, "not needed"));
  }

  public MissionHarness fail(String missionId, String stage) {
    return command(missionId, new FailStage(stage, "bad data"));
  }

  /**
   * Fires the latest timer of that kind set for the stage, with the clock moved to its due time.
   *
   * @throws AssertionError if no such timer was set
   */
  public MissionHarness fire(String missionId, String stage, TimerFired.Kind kind) {
    TimerFired timer = timers.stream()
        .filter(t -> t.missionId().equals(missionId) && t.stage().equals(stage) && t.kind() == kind)
        .reduce((first, second) -> second)
        .orElseThrow(() -> new AssertionError("No " + kind + " timer set for stage '" + stage + "': " + timers));
    timers.remove(timer);
    clock = timer.dueAt().minusSeconds(1);
    return input(timer);
  }

  /**
   * The coordinator's retention sweep offers the mission {@code later} after the last input, as a
   * {@link TimerFired.Kind#FORGET} input at that time.
   */
  public MissionHarness sweep(String missionId, Duration later) {
    return sweep(missionId, later, Duration.ZERO);
  }

  /**
   * The retention sweep offers the mission {@code later} after the last input, having read every
   * input up to {@code readLag} before that.
   */
  public MissionHarness sweep(String missionId, Duration later, Duration readLag) {
    clock = clock.plus(later).minusSeconds(1);
    return input(new TimerFired(missionId, "", 0, TimerFired.Kind.FORGET, clock.plusSeconds(1).minus(readLag)));
  }

  /** Timers set so far and not fired, in the order set. */
  public List<TimerFired> timers() {
    return List.copyOf(timers);
  }

  /** The time of the last input. */
  public Instant now() {
    return clock;
  }

  public MissionHarness cancel(String missionId) {
    return command(missionId, new CancelMission("not needed today"));
  }

  private MissionHarness command(String missionId, Object payload) {
    return input(new MissionCommand(missionId, USER, clock, payload));
  }

  /** Reports on a stage's current attempt, as worker {@code w-1}. */
  public Reports stage(String missionId, String stage) {
    int attempt = exists(missionId) ? mission(missionId).stage(stage).map(StageView::attempt).orElse(1) : 1;
    return new Reports(missionId, stage, attempt);
  }

  /** Reports on attempt {@code attempt} of a stage, whichever is current, as worker {@code w-1}. */
  public Reports attempt(String missionId, String stage, int attempt) {
    return new Reports(missionId, stage, attempt);
  }

  /** The reports one worker can send on one attempt. */
  public final class Reports {
    private final String missionId;
    private final String stage;
    private final int attempt;
    private final String worker;

    Reports(String missionId, String stage, int attempt) {
      this(missionId, stage, attempt, "w-1");
    }

    private Reports(String missionId, String stage, int attempt, String worker) {
      this.missionId = missionId;
      this.stage = stage;
      this.attempt = attempt;
      this.worker = worker;
    }

    public Reports attempt(int number) {
      return new Reports(missionId, stage, number, worker);
    }

    /** The same reports, sent by worker {@code id} instead of {@code w-1}. */
    public Reports byWorker(String id) {
      return new Reports(missionId, stage, attempt, id);
    }

    public MissionHarness started() {
      return report(new ReportStarted(null, null));
    }

    public MissionHarness finished() {
      return finished(Map.of());
    }

    public MissionHarness finished(Map<String, String> outputs) {
      return report(new ReportFinished(outputs));
    }

    public MissionHarness failed(String message) {
      return report(new ReportFailed(new StageError(message, "stack", true)));
    }

    public MissionHarness failedForGood(String message) {
      return report(new ReportFailed(new StageError(message, "stack", false)));
    }

    /** A heartbeat announcing the given interval (null: none). */
    public MissionHarness heartbeat(Long intervalMs) {
      return report(new ReportHeartbeat(intervalMs));
    }

    /** Started, the worker says, at {@code startedAt}. */
    public MissionHarness startedAt(Instant startedAt) {
      return report(new ReportStarted(null, startedAt));
    }

    /** Started by a worker that heartbeats every {@code intervalMs}. */
    public MissionHarness startedHeartbeating(long intervalMs) {
      return report(new ReportStarted(intervalMs, null));
    }

    /** Started, then finished. */
    public MissionHarness runs() {
      started();
      return finished();
    }

    private MissionHarness report(Object outcome) {
      return input(new StageReport(missionId, stage, attempt, new Actor(ActorKind.WORKER, worker, "h1"), clock, outcome));
    }
  }

  MissionHarness input(Object input) {
    clock = clock.plusSeconds(1);
    return decide(input, clock);
  }

  private MissionHarness decide(Object input, Instant at) {
    String missionId = MissionEngine.missionIdOf(input);
    last = engine.decide(MissionStateCodec.fromStored(store.get(missionId)), input, at);
    lastInstructions = last.instructions();
    timers.addAll(last.timers());
    if (last.changedMission()) {
      store.put(missionId, MissionStateCodec.toStored(last.mission().orElseThrow()));
    }
    if (last.effects().stream().anyMatch(Effect.ForgetMission.class::isInstance)) {
      store.remove(missionId);
    }
    List<MissionEvent> missionLog = log.computeIfAbsent(missionId, k -> new ArrayList<>());
    missionLog.addAll(last.events());
    Mission replayed = new EventAppliers().replay(missionLog);
    assertThat(replayed == null ? null : MissionStateCodec.toStored(replayed))
        .as("state rebuilt from the log equals the stored state")
        .isEqualTo(store.get(missionId));
    return this;
  }

  /** The stored mission. */
  public MissionView mission(String missionId) {
    return MissionStateCodec.fromStored(store.get(missionId));
  }

  public boolean exists(String missionId) {
    return store.containsKey(missionId);
  }

  /** Simple names of the event kinds the last input produced, in order. */
  public List<String> lastEvents() {
    return last.events().stream().map(e -> e.getEvent().getClass().getSimpleName()).toList();
  }

  public List<MissionEvent> lastEventRecords() {
    return last.events();
  }

  /** The reason of the last input's rejection; fails if it was not rejected. */
  public String lastRejection() {
    assertThat(last.events()).as("events of the last input").hasSize(1);
    return ((InputRejected) last.events().get(0).getEvent()).getReason();
  }

  /** The kind of the last input's rejection; fails if it was not rejected. */
  public RejectionReason lastRejectionCode() {
    assertThat(last.events()).as("events of the last input").hasSize(1);
    return ((InputRejected) last.events().get(0).getEvent()).getReasonCode();
  }

  /** Answers a stage AWAITING_RESULT as the results index would: on its key, to its latest lookup. */
  public MissionHarness resultAnswer(String missionId, String stage, Object answer) {
    Optional<StageView> found = mission(missionId).stage(stage);
    String key = found.flatMap(StageView::resultKey).orElse("no-key");
    return input(new ResultAnswer(missionId, stage, key, answer, found.map(StageView::resultAsk).orElse(0L)));
  }

  /**
   * Answers a stage AWAITING_RESULT as the results index would, stamped {@code at}, as the index
   * stamps an answer with the time of the lookup or result it answers; read now, the clock left
   * where it is.
   */
  public MissionHarness resultAnswerStampedAt(String missionId, String stage, Object answer, Instant at) {
    StageView found = mission(missionId).stage(stage).orElseThrow();
    return decide(new ResultAnswer(missionId, stage, found.resultKey().orElseThrow(), answer, found.resultAsk()), at);
  }

  /** Pipes an answer of the results index as it is, naming the lookup it names. */
  public MissionHarness resultAnswer(ResultAnswer answer) {
    return input(answer);
  }

  /** Starts a mission with --no-reuse. */
  public MissionHarness startWithoutReuse(String missionId, String plan) {
    return command(missionId, new StartMission(plan, Map.of(), List.of(), List.of(), true, 0));
  }

  /** What the last input asked of the results index, in order. */
  public List<ResultRequest> lastResultRequests() {
    return last.effects().stream().filter(Effect.RequestResult.class::isInstance)
        .map(e -> ((Effect.RequestResult) e).request()).toList();
  }

  public List<StageInstruction> lastInstructions() {
    return lastInstructions;
  }

  public List<MissionEvent> log(String missionId) {
    return log.getOrDefault(missionId, List.of());
  }
}
