package io.groundcontrol.coordinator;

import io.groundcontrol.admission.MirroredTable;
import io.groundcontrol.mission.Decision;
import io.groundcontrol.mission.Effect;
import io.groundcontrol.mission.Mission;
import io.groundcontrol.mission.MissionEngine;
import io.groundcontrol.mission.MissionLimits;
import io.groundcontrol.mission.MissionPlan;
import io.groundcontrol.mission.TimerFired;
import io.groundcontrol.mission.Timers;
import io.groundcontrol.query.MissionIndex;
import io.groundcontrol.schedule.ScheduledMissionEvents;
import io.groundcontrol.schema.InstructionKind;
import io.groundcontrol.schema.MissionAdmissionRequest;
import io.groundcontrol.schema.MissionCommand;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionStatus;
import io.groundcontrol.schema.AdmissionRequest;
import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.SlotGrant;
import io.groundcontrol.schema.ReportHeartbeat;
import io.groundcontrol.schema.ResultRequest;
import io.groundcontrol.schema.StageInstruction;
import io.groundcontrol.schema.StageReport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's one stateful step: loads the mission an input names, lets the
 * {@link MissionEngine} decide, and writes what was decided: the stored mission, the events to the
 * log, the instructions to workers, and the timers it calls for. Due timers, found by wall-clock
 * punctuation, are decided the same way. The Kafka side of decide-then-apply; it holds no rules.
 */
final class MissionProcessor implements Processor<String, Object, String, Object> {
  /** How often due timers are looked for: the resolution of retries, timeouts and liveness. */
  static final Duration TIMER_TICK = Duration.ofMillis(100);
  private static final int TIMERS_PER_TICK = 1000;
  private static final Logger LOG = LoggerFactory.getLogger(MissionProcessor.class);

  private final Function<Plan, MissionPlan> planCompiler;
  private final List<String> inputTopics;
  private RestartBarrier barrier;
  private ProcessorContext<String, Object> context;
  private MissionStore missions;
  private TimerIndex timers;
  private Liveness liveness;
  private PlanWait planWait;
  /** The stamp of the input being processed if a paced replay wrote it ({@link ReplayedInput}); else null. */
  private Instant replayedStamp;
  private StorePlanLookup plans;
  private MissionEngine engine;
  private MissionIndex index;
  private InputRouting routing;
  private CommitWhenDrained commits;
  private SlotLeases leases;
  private RetentionSweep retention;
  private TimerSweep timerSweep;

  private final MissionLimits limits;
  private final LatestPlans latestPlans;

  /**
   * @param planCompiler turns a stored plan into what deciding needs
   * @param latestPlans the latest version of each plan, kept by the plan store's updater
   * @param limits what a stage's outputs may hold, and how long ended missions are kept
   * @param inputTopics the topics this processor reads, co-partitioned: a restart barrier goes to each
   */
  MissionProcessor(Function<Plan, MissionPlan> planCompiler, LatestPlans latestPlans, MissionLimits limits,
      List<String> inputTopics) {
    this.planCompiler = planCompiler;
    this.latestPlans = latestPlans;
    this.limits = limits;
    this.inputTopics = List.copyOf(inputTopics);
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    KeyValueStore<String, Plan> planStore = context.getStateStore(CoordinatorTopology.PLAN_STORE);
    this.plans = new StorePlanLookup(planStore, latestPlans, planCompiler);
    this.missions = new MissionStore(context.getStateStore(CoordinatorTopology.MISSION_STORE), plans);
    this.timers = new TimerIndex(context.getStateStore(CoordinatorTopology.TIMER_STORE));
    this.liveness = new Liveness(context.getStateStore(CoordinatorTopology.LIVENESS_STORE));
    StoreComponentLookup components =
        new StoreComponentLookup(context.getStateStore(CoordinatorTopology.COMPONENT_STORE));
    this.engine = new MissionEngine(plans, limits, components);
    this.index = MissionIndex.of(context);
    this.planWait = new PlanWait(context.getStateStore(CoordinatorTopology.PARKED_STORE), plans, timers);
    this.barrier = new RestartBarrier(context.taskId().partition(), inputTopics);
    this.routing = new InputRouting(context.appConfigs());
    this.commits = CommitWhenDrained.of(context);
    this.leases = new SlotLeases(new MirroredTable<>(context.getStateStore(CoordinatorTopology.SLOT_LEASE_STORE)),
        context::currentSystemTimeMs, components::heldAtZero);
    this.retention = new RetentionSweep(limits.retention(), index, missions);
    this.timerSweep = new TimerSweep(timers, missions::startedAt);
    context.schedule(TIMER_TICK, PunctuationType.WALL_CLOCK_TIME, this::punctuate);
  }

  /**
   * Fires the timers due, and forgets the missions whose retention is over, up to what has surely
   * been read (see {@link RestartBarrier}); then asks for a barrier if either has more due by now.
   */
  private void punctuate(long nowMs) {
    commits.timersBegin();
    firePunctuation(nowMs);
    commits.inputEnds();
  }

  private void firePunctuation(long nowMs) {
    Instant now = Instant.ofEpochMilli(nowMs);
    barrier.readUpTo().ifPresent(readUpTo -> decideDueBy(readUpTo, now));
    leases.expire(now).forEach(this::toAdmission);
    boolean due = timers.hasDue(now) || retention.waitsForBarrier(now, barrier.readUpTo());
    for (RestartBarrier.Marker marker : barrier.toWrite(now, due)) {
      context.forward(new Record<String, Object>(marker.id(), marker, nowMs, marker.headers()), CoordinatorTopology.BARRIER_SINK);
    }
  }

  /** A barrier read back: once on every input, what is due up to its time is decided, at once. */
  private void readBarrier(String barrierId) {
    String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
    if (barrier.read(topic, barrierId)) {
      decideDueBy(barrier.readUpTo().orElseThrow(), wallClock());
    }
  }

  /**
   * Every input written before {@code readUpTo} has been read: decides, at {@code now}, what was
   * due by then; then removes a batch of the timers that forgotten missions left ({@link TimerSweep}).
   */
  private void decideDueBy(Instant readUpTo, Instant now) {
    fireDueTimers(readUpTo, now);
    for (Mission mission : retention.candidates(readUpTo)) {
      plans.nextInput();
      decideAndWrite(mission.missionId(), mission,
          new TimerFired(mission.missionId(), "", 0, TimerFired.Kind.FORGET, readUpTo), now);
    }
    timerSweep.sweep(now);
  }

  @Override
  public void process(Record<String, Object> record) {
    commits.inputBegins();
    try {
      processInput(record);
    } finally {
      replayedStamp = null;
    }
    commits.inputEnds();
  }

  private void processInput(Record<String, Object> record) {
    plans.nextInput();
    Optional<String> barrierId = RestartBarrier.barrierId(record.value(), record.headers());
    if (barrierId.isPresent()) {
      readBarrier(barrierId.get());
      return;
    }
    String missionId = MissionEngine.missionIdOf(InputChecks.value(record));
    if (!missionId.equals(record.key())) {
      throw new InvalidInputException("Expected record key '" + missionId + "' (the mission id in the value), but got '"
          + record.key() + "': such a record may be on the wrong partition");
    }
    if (rerouted(record)) {
      return;
    }
    if (record.value() instanceof SlotGrant grant) {
      // Not on the path of asks: the admission sent the RUN with the grant, so what this writes
      // waits, like any output, for the reports on that commit's instructions.
      if (grant.getReclaim()) {
        leases.reclaim(grant, Instant.ofEpochMilli(record.timestamp())).ifPresent(this::toAdmission);
        return;
      }
    }
    Instant at = Instant.ofEpochMilli(record.timestamp());
    if (record.headers().lastHeader(ReplayedInput.HEADER) != null) {
      replayedStamp = at;
    }
    if (record.value() instanceof StageReport report) {
      // Seen when read, on the clock liveness is checked on, whatever the worker's clock says. A
      // heartbeat the liveness does not take is decided: it may start an attempt or change its watch.
      if (report.getOutcome() instanceof ReportHeartbeat heartbeat && liveness.heartbeat(missionId,
          report.getStage(), report.getAttempt(), wallClock(), Timers.heartbeatInterval(heartbeat.getHeartbeatIntervalMs()))) {
        return;
      }
      commits.answered(missionId, report.getStage(), report.getAttempt());
    }
    handle(missionId, record.value(), at);
  }

  /** Sends a record that arrived on another partition than its key's to that partition; see {@link InputRouting}. */
  private boolean rerouted(Record<String, Object> record) {
    Optional<RecordMetadata> metadata = context.recordMetadata();
    if (metadata.isEmpty()) {
      return false;
    }
    OptionalInt expected = routing.misrouted(
        metadata.get().topic(), metadata.get().partition(), record.key(), record.headers(), record.value());
    if (expected.isEmpty()) {
      return false;
    }
    Record<String, Object> copy = record.withHeaders(new RecordHeaders(record.headers().toArray()));
    copy.headers().add(InputRouting.REROUTED_HEADER,
        Integer.toString(metadata.get().partition()).getBytes(StandardCharsets.UTF_8));
    context.forward(copy, CoordinatorTopology.REROUTE_SINK);
    return true;
  }

  private void handle(String missionId, Object input, Instant at) {
    Mission mission = missions.load(missionId);
    if (planWait.park(input, mission != null, at)) {
      return;
    }
    decideAndWrite(missionId, mission, input, at);
  }

  /** Fires the timers due up to {@code readUpTo}, deciding them at {@code now}. */
  private void fireDueTimers(Instant readUpTo, Instant now) {
    for (TimerFired timer : timers.takeDue(readUpTo, TIMERS_PER_TICK)) {
      plans.nextInput();
      if (timer.kind() == TimerFired.Kind.PLAN_WAIT) {
        releaseParked(timer.missionId(), now);
      } else if (timer.kind() != TimerFired.Kind.LIVENESS || livenessLapsed(timer, readUpTo)) {
        decideAndWrite(timer.missionId(), missions.load(timer.missionId()), timer, now);
      }
    }
  }

  /** Decides the start that waited for its plan, unless it waits on, then the starts queued behind it. */
  private void releaseParked(String missionId, Instant now) {
    planWait.release(missionId).ifPresent(command -> handle(missionId, command, now));
    for (MissionCommand later : planWait.releaseQueued(missionId)) {
      plans.nextInput();
      handle(missionId, later, now);
    }
  }

  /**
   * Whether a liveness timer's attempt has really gone silent up to {@code readUpTo}, all input
   * before which has been read; re-arms it if a heartbeat came since.
   */
  private boolean livenessLapsed(TimerFired timer, Instant readUpTo) {
    Optional<Instant> deadline = liveness.deadline(timer.missionId(), timer.stage(), timer.attempt());
    if (deadline.isEmpty()) {
      return false;
    }
    if (deadline.get().isAfter(readUpTo)) {
      timers.add(new TimerFired(timer.missionId(), timer.stage(), timer.attempt(), timer.kind(), deadline.get(),
          timer.missionStartedAt()));
      return false;
    }
    liveness.forget(timer.missionId(), timer.stage(), timer.attempt());
    return true;
  }

  /** Decides {@code input} for {@code mission} as loaded (null if none is stored), then writes what was decided. */
  private void decideAndWrite(String missionId, Mission mission, Object input, Instant at) {
    MissionStatus before = mission == null ? null : mission.status();
    Decision decision = decide(missionId, mission, input, at);
    if (input instanceof SlotGrant grant && grant.getLease() && holdsItsSlot(decision, grant)) {
      leases.adopt(grant, decision.mission().orElseThrow().planName());
    }
    write(missionId, before, decision, at);
  }

  /**
   * Whether the granted attempt runs on its slot after the grant was decided, rather than having
   * ended before, alone or with its mission (a cancelled mission's stages keep their status).
   */
  private static boolean holdsItsSlot(Decision decision, SlotGrant grant) {
    return decision.mission().filter(m -> m.status() == MissionStatus.RUNNING).flatMap(m -> m.stage(grant.getStage()))
        .filter(stage -> stage.attempt() == grant.getAttempt() && stage.isActive() && stage.slotGranted())
        .isPresent();
  }

  /**
   * Decides {@code input} for {@code mission} as loaded, which the decision changes in place; its
   * events are stamped {@code at}, the waits it starts count on the stream thread's clock. A
   * decision that could not be written whole is rejected here, before anything is written: a throw
   * half-way through {@link #write} would commit what was written before it with an input the
   * dead letters call unprocessed.
   */
  private Decision decide(String missionId, Mission mission, Object input, Instant at) {
    try {
      Decision decision = engine.decide(mission, input, at, readAt());
      requireWritable(decision);
      return decision;
    } catch (RuntimeException e) {
      // A bug or a broken plan harms this one input, never the partition: record why and go on.
      LOG.error("Could not process {} for mission '{}'", input.getClass().getSimpleName(), missionId, e);
      return engine.reject(load(missionId), input, at, "Expected to process the input, but processing failed: " + e);
    }
  }

  /** The stream thread's clock, which wall-clock punctuation and so every timer runs on. */
  private Instant wallClock() {
    return Instant.ofEpochMilli(context.currentSystemTimeMs());
  }

  /** When the input being decided counts as read: the stream thread's clock, or a replayed input's later stamp. */
  private Instant readAt() {
    Instant clock = wallClock();
    return replayedStamp != null && replayedStamp.isAfter(clock) ? replayedStamp : clock;
  }

  /** Throws if a value of {@code decision} cannot be written; the values computed from plan durations are its timers. */
  private static void requireWritable(Decision decision) {
    for (Effect effect : decision.effects()) {
      if (effect instanceof Effect.SetTimer set) {
        TimerIndex.requireStorable(set.timer());
      }
    }
  }

  private Mission load(String missionId) {
    return missions.load(missionId);
  }

  /**
   * Writes everything a decision calls for, all in the same transaction under exactly-once;
   * {@code statusBefore} is the mission's status as loaded, null for a new one.
   */
  private void write(String missionId, MissionStatus statusBefore, Decision decision, Instant at) {
    long timestamp = at.toEpochMilli();
    if (decision.changedMission()) {
      missions.save(decision.mission().orElseThrow(), statusBefore == null);
      index.update(statusBefore, decision.mission().orElseThrow());
    }
    for (MissionEvent event : decision.events()) {
      context.forward(new Record<String, Object>(missionId, event, timestamp), CoordinatorTopology.EVENTS_SINK);
      ScheduledMissionEvents.scheduleToTell(missionId, event).ifPresent(schedule -> context.forward(
          new Record<String, Object>(schedule, event, timestamp), CoordinatorTopology.SCHEDULED_EVENTS_SINK));
    }
    EffectWriter writer = new EffectWriter(missionId, timestamp);
    decision.effects().forEach(effect -> effect.handle(writer));
    if (!decision.events().isEmpty()) {
      commits.outputWritten();
    }
    if (!writer.slotEffects.isEmpty()) {
      SlotLeases.Settled settled = leases.settle(missionId, writer.slotEffects, at);
      settled.toAdmission().forEach(this::toAdmission);
      settled.handedOn().forEach(handedOn -> dispatchOnHandedOnSlot(missionId, decision, handedOn));
    }
  }

  /**
   * Decides the grant of a slot handed on in this partition, on the mission as the decision that
   * freed the slot left it (saved already), and writes it. Should that decision fail, the slot goes
   * back, and the stage, still queued, asks the admission as it would have.
   */
  private void dispatchOnHandedOnSlot(String missionId, Decision freeing, SlotLeases.HandedOn handedOn) {
    Mission mission = freeing.mission().orElseThrow();
    mission.forgetChanges();
    SlotGrant grant = handedOn.grant();
    Instant grantedAt = grant.getGrantedAt();
    Decision decision = decide(missionId, mission, grant, grantedAt);
    write(missionId, mission.status(), decision, grantedAt);
    if (!holdsItsSlot(decision, grant)) {
      Effect.RequestSlot request = handedOn.request();
      leases.settle(missionId, List.of(new Effect.ReleaseSlot(request.component(), request.stage(), request.attempt(),
          "not dispatched", false)), grantedAt).toAdmission().forEach(this::toAdmission);
      Mission now = missions.load(missionId);
      if (now != null && now.stage(grant.getStage())
          .filter(stage -> stage.attempt() == grant.getAttempt() && stage.isQueued()).isPresent()) {
        toAdmission(SlotLeases.requestOf(missionId, request, grantedAt));
      }
    }
  }

  private void toAdmission(AdmissionRequest request) {
    context.forward(new Record<String, Object>(request.getComponent(), request, request.getAt().toEpochMilli()),
        CoordinatorTopology.REQUESTS_SINK);
    commits.asked(request);
  }

  @Override
  public void close() {
    if (commits != null) {
      commits.close();
    }
  }

  /** The one place where an effect becomes a record or a store change, in the input's transaction. */
  private final class EffectWriter implements Effect.Handler {
    private final String missionId;
    private final long timestamp;
    /** Requests and releases of slots, settled together once all effects are seen: see {@link SlotLeases}. */
    private final List<Effect> slotEffects = new ArrayList<>();

    EffectWriter(String missionId, long timestamp) {
      this.missionId = missionId;
      this.timestamp = timestamp;
    }

    @Override
    public void instruct(StageInstruction instruction) {
      context.forward(new Record<String, Object>(missionId, instruction, timestamp), CoordinatorTopology.INSTRUCTIONS_SINK);
      if (instruction.getKind() == InstructionKind.RUN) {
        commits.dispatched(missionId, instruction.getStage(), instruction.getAttempt());
      }
    }

    @Override
    public void setTimer(TimerFired timer) {
      timers.add(timer);
    }

    @Override
    public void watchLiveness(Effect.WatchLiveness watch) {
      liveness.watch(watch.missionId(), watch.stage(), watch.attempt(), watch.since(), watch.intervalMs());
    }

    @Override
    public void forgetLiveness(Effect.ForgetLiveness forget) {
      liveness.forget(forget.missionId(), forget.stage(), forget.attempt());
    }

    @Override
    public void requestResult(Effect.RequestResult result) {
      ResultRequest request = result.request();
      context.forward(new Record<String, Object>(request.getResultKey(), request, result.at().toEpochMilli()),
          CoordinatorTopology.RESULT_REQUESTS_SINK);
      commits.asked(request);
    }

    @Override
    public void requestSlot(Effect.RequestSlot request) {
      slotEffects.add(request);
    }

    @Override
    public void releaseSlot(Effect.ReleaseSlot release) {
      slotEffects.add(release);
    }

    @Override
    public void askAdmission(Effect.AskAdmission ask) {
      toMissionLimits(new MissionAdmissionRequest(ask.planName(), missionId, Instant.ofEpochMilli(timestamp),
          ask.limit(), ask.priority(), false, null, ask.ask()));
    }

    @Override
    public void endAdmission(Effect.EndAdmission end) {
      toMissionLimits(new MissionAdmissionRequest(end.planName(), missionId, Instant.ofEpochMilli(timestamp),
          end.limit(), 0, true, end.why(), end.ask()));
    }

    @Override
    public void forgetMission(Effect.ForgetMission forget) {
      missions.forget(forget.missionId());
      index.unlist(forget.missionId(), forget.planName(), forget.startedAt(), forget.status());
      timerSweep.missionForgotten();
    }

    private void toMissionLimits(MissionAdmissionRequest request) {
      context.forward(new Record<String, Object>(request.getPlanName(), request, timestamp),
          CoordinatorTopology.MISSION_ADMISSION_REQUESTS_SINK);
      commits.asked(request);
    }
  }
}
