package io.groundcontrol.limits;

import io.groundcontrol.admission.DecisionTime;
import io.groundcontrol.admission.MirroredTable;
import io.groundcontrol.coordinator.InputChecks;
import io.groundcontrol.coordinator.LatestPlans;
import io.groundcontrol.schema.AdmissionEntry;
import io.groundcontrol.schema.MissionAdmission;
import io.groundcontrol.schema.MissionAdmissionRequest;
import io.groundcontrol.schema.Plan;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The mission-limits sub-topology's one stateful step, keyed by plan: takes asks and ends of
 * missions of limited plans, lets {@link ActiveMissions} decide, and sends each answer to its
 * mission. The limit is read from the latest version of the plan in the global plans store at every
 * decision (the limit the mission's own plan version had, while the store does not know the plan
 * yet), and wall-clock punctuation admits what a raised or removed limit allows, so a new limit
 * applies within a tick, without restart.
 */
final class MissionLimitsProcessor implements Processor<String, MissionAdmissionRequest, String, MissionAdmission> {
  /** How often limits are re-read: the delay before a raised limit admits waiting missions. */
  static final Duration TICK = Duration.ofMillis(200);
  private static final int ADMISSIONS_PER_TICK = 1000;

  private final MissionLimitsTopology.Names names;
  private final LatestPlans latestPlans;
  private ProcessorContext<String, MissionAdmission> context;
  private ActiveMissions missions;
  private KeyValueStore<String, Plan> plans;

  MissionLimitsProcessor(MissionLimitsTopology.Names names, LatestPlans latestPlans) {
    this.names = names;
    this.latestPlans = latestPlans;
  }

  @Override
  public void init(ProcessorContext<String, MissionAdmission> context) {
    this.context = context;
    KeyValueStore<String, AdmissionEntry> entries = context.getStateStore(names.entries());
    KeyValueStore<String, String> queue = context.getStateStore(names.queue());
    KeyValueStore<String, Long> counts = context.getStateStore(names.counts());
    this.plans = context.getStateStore(names.plans());
    this.missions =
        new ActiveMissions(new MirroredTable<>(entries), new MirroredTable<>(queue), new MirroredTable<>(counts));
    context.schedule(TICK, PunctuationType.WALL_CLOCK_TIME, now -> tick(Instant.ofEpochMilli(now)));
  }

  @Override
  public void process(Record<String, MissionAdmissionRequest> record) {
    MissionAdmissionRequest request = InputChecks.value(record);
    InputChecks.key(record.key(), request.getPlanName(), "the plan in the value");
    Instant at = DecisionTime.of(record.timestamp(), context);
    Optional<LatestPlans.Latest> latest = latestPlans.get(request.getPlanName(), plans);
    // A latest plan without a limit means no limit: its absence is not the request's limit.
    Integer limit = latest.isPresent() ? latest.get().maxActiveMissions() : request.getLimit();
    send(missions.handle(request, limit, at));
  }

  /**
   * Admits what the latest limits allow. A plan this instance's plan store does not hold yet (it
   * lags behind the instance that started the mission) is left as it is until it does.
   */
  private void tick(Instant now) {
    for (String plan : missions.plans()) {
      latestPlans.get(plan, plans).ifPresent(
          latest -> send(missions.admitWhatFits(plan, latest.maxActiveMissions(), now, ADMISSIONS_PER_TICK)));
    }
  }

  private void send(List<MissionAdmission> answers) {
    for (MissionAdmission answer : answers) {
      context.forward(new Record<>(answer.getMissionId(), answer, answer.getAt().toEpochMilli()), names.answersSink());
    }
  }
}
