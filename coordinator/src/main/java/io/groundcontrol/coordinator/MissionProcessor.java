package io.groundcontrol.coordinator;

import io.groundcontrol.mission.Decision;
import io.groundcontrol.mission.Instructions;
import io.groundcontrol.mission.Mission;
import io.groundcontrol.mission.MissionEngine;
import io.groundcontrol.mission.MissionPlan;
import io.groundcontrol.mission.PlanLookup;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionState;
import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.StageInstruction;
import java.time.Instant;
import java.util.function.Function;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's one stateful step: loads the mission an input names, lets the
 * {@link MissionEngine} decide, stores the mission, and forwards the events to the log and the
 * instructions to the workers. The Kafka side of decide-then-apply; it holds no rules itself.
 */
final class MissionProcessor implements Processor<String, Object, String, Object> {
  private static final Logger LOG = LoggerFactory.getLogger(MissionProcessor.class);

  private final Function<Plan, MissionPlan> planCompiler;
  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, MissionState> missions;
  private PlanLookup plans;
  private MissionEngine engine;

  MissionProcessor(Function<Plan, MissionPlan> planCompiler) {
    this.planCompiler = planCompiler;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.missions = context.getStateStore(CoordinatorTopology.MISSION_STORE);
    KeyValueStore<String, Plan> planStore = context.getStateStore(CoordinatorTopology.PLAN_STORE);
    this.plans = new StorePlanLookup(planStore, planCompiler);
    this.engine = new MissionEngine(plans);
  }

  @Override
  public void process(Record<String, Object> record) {
    String missionId = MissionEngine.missionIdOf(record.value());
    if (!missionId.equals(record.key())) {
      throw new InvalidInputException("Expected record key '" + missionId + "' (the mission id in the value), but got '"
          + record.key() + "': such a record may be on the wrong partition");
    }
    Instant at = Instant.ofEpochMilli(record.timestamp());
    Decision decision = decide(missionId, record.value(), at);
    if (decision.changedMission()) {
      missions.put(missionId, MissionStateCodec.toStored(decision.mission().orElseThrow()));
    }
    for (MissionEvent event : decision.events()) {
      context.forward(new Record<String, Object>(missionId, event, record.timestamp()), CoordinatorTopology.EVENTS_SINK);
    }
    for (StageInstruction instruction : Instructions.from(decision, plans)) {
      context.forward(
          new Record<String, Object>(missionId, instruction, record.timestamp()), CoordinatorTopology.INSTRUCTIONS_SINK);
    }
  }

  private Decision decide(String missionId, Object input, Instant at) {
    try {
      return engine.decide(load(missionId), input, at);
    } catch (RuntimeException e) {
      // A bug or a broken plan harms this one input, never the partition: record why and go on.
      LOG.error("Could not process {} for mission '{}'", input.getClass().getSimpleName(), missionId, e);
      return engine.reject(load(missionId), input, at, "Expected to process the input, but processing failed: " + e);
    }
  }

  private Mission load(String missionId) {
    return MissionStateCodec.fromStored(missions.get(missionId));
  }
}
