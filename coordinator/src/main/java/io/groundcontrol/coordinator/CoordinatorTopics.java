package io.groundcontrol.coordinator;

import io.groundcontrol.schema.AdmissionRequest;
import io.groundcontrol.schema.ComponentSettings;
import io.groundcontrol.schema.ComponentStatus;
import io.groundcontrol.schema.MissionAdmission;
import io.groundcontrol.schema.MissionAdmissionRequest;
import io.groundcontrol.schema.MissionCommand;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.MissionState;
import io.groundcontrol.schema.Plan;
import io.groundcontrol.schema.Schedule;
import io.groundcontrol.schema.ScheduleCommand;
import io.groundcontrol.schema.ScheduleEvent;
import io.groundcontrol.schema.Trigger;
import io.groundcontrol.schema.TriggerMatch;
import io.groundcontrol.schema.StageInstruction;
import io.groundcontrol.schema.SlotGrant;
import io.groundcontrol.schema.StageReport;
import io.groundcontrol.schema.wire.AvroSerde;
import io.groundcontrol.schema.wire.TopicNames;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Every topic the coordinator reads or writes, with its serdes, for one set of {@link TopicNames}. */
public final class CoordinatorTopics {
  /** Serde for mission state in the store and its changelog. */
  public static final AvroSerde<MissionState> MISSION_STATE = AvroSerde.of(MissionState.class);
  /** Serde for instructions, on every component's topic. */
  public static final AvroSerde<StageInstruction> INSTRUCTION = AvroSerde.of(StageInstruction.class);

  private final TopicNames names;
  private final Topic<String, Plan> plans;
  private final Topic<String, MissionCommand> commands;
  private final Topic<String, StageReport> reports;
  private final Topic<String, MissionEvent> events;
  private final Topic<String, Schedule> schedules;
  private final Topic<String, ScheduleCommand> scheduleCommands;
  private final Topic<String, ScheduleEvent> scheduleEvents;
  private final Topic<String, MissionEvent> scheduledMissionEvents;
  private final Topic<String, Trigger> triggers;
  private final Topic<String, ComponentSettings> components;
  private final Topic<String, ComponentStatus> componentStatus;
  private final Topic<String, AdmissionRequest> admissionRequests;
  private final Topic<String, SlotGrant> admissionGrants;
  private final Topic<String, MissionAdmissionRequest> missionAdmissionRequests;
  private final Topic<String, MissionAdmission> missionAdmissions;
  private final Topic<String, TriggerMatch> triggerMatches;

  /** The topics named by {@code names}. */
  public CoordinatorTopics(TopicNames names) {
    Serde<String> keys = Serdes.String();
    this.names = names;
    this.plans = new Topic<>(names.plans(), keys, AvroSerde.of(Plan.class));
    this.commands = new Topic<>(names.missionCommands(), keys, AvroSerde.of(MissionCommand.class));
    this.reports = new Topic<>(names.stageReports(), keys, AvroSerde.of(StageReport.class));
    this.events = new Topic<>(names.missionEvents(), keys, AvroSerde.of(MissionEvent.class));
    this.schedules = new Topic<>(names.schedules(), keys, AvroSerde.of(Schedule.class));
    this.scheduleCommands = new Topic<>(names.scheduleCommands(), keys, AvroSerde.of(ScheduleCommand.class));
    this.scheduleEvents = new Topic<>(names.scheduleEvents(), keys, AvroSerde.of(ScheduleEvent.class));
    this.scheduledMissionEvents = new Topic<>(names.scheduledMissionEvents(), keys, events.valueSerde());
    this.triggers = new Topic<>(names.triggers(), keys, AvroSerde.of(Trigger.class));
    this.components = new Topic<>(names.components(), keys, AvroSerde.of(ComponentSettings.class));
    this.componentStatus = new Topic<>(names.componentStatus(), keys, AvroSerde.of(ComponentStatus.class));
    this.admissionRequests = new Topic<>(names.admissionRequests(), keys, AvroSerde.of(AdmissionRequest.class));
    this.admissionGrants = new Topic<>(names.admissionGrants(), keys, AvroSerde.of(SlotGrant.class));
    this.missionAdmissionRequests =
        new Topic<>(names.missionAdmissionRequests(), keys, AvroSerde.of(MissionAdmissionRequest.class));
    this.missionAdmissions = new Topic<>(names.missionAdmissions(), keys, AvroSerde.of(MissionAdmission.class));
    this.triggerMatches = new Topic<>(names.triggerMatches(), keys, AvroSerde.of(TriggerMatch.class));
  }

  public Topic<String, Schedule> schedules() {
    return schedules;
  }

  public Topic<String, ScheduleCommand> scheduleCommands() {
    return scheduleCommands;
  }

  public Topic<String, ScheduleEvent> scheduleEvents() {
    return scheduleEvents;
  }

  /** Mission events of scheduled missions, keyed by schedule name. */
  public Topic<String, MissionEvent> scheduledMissionEvents() {
    return scheduledMissionEvents;
  }

  public Topic<String, Trigger> triggers() {
    return triggers;
  }

  public TopicNames names() {
    return names;
  }

  public Topic<String, Plan> plans() {
    return plans;
  }

  public Topic<String, MissionCommand> commands() {
    return commands;
  }

  public Topic<String, StageReport> reports() {
    return reports;
  }

  public Topic<String, MissionEvent> events() {
    return events;
  }

  public Topic<String, ComponentSettings> components() {
    return components;
  }

  public Topic<String, ComponentStatus> componentStatus() {
    return componentStatus;
  }

  public Topic<String, AdmissionRequest> admissionRequests() {
    return admissionRequests;
  }

  public Topic<String, SlotGrant> admissionGrants() {
    return admissionGrants;
  }

  /** Asks and ends of missions of plans with {@code max_active_missions}, keyed by plan name. */
  public Topic<String, MissionAdmissionRequest> missionAdmissionRequests() {
    return missionAdmissionRequests;
  }

  /** Answers of the mission-limits sub-topology, keyed by mission id. */
  public Topic<String, MissionAdmission> missionAdmissions() {
    return missionAdmissions;
  }

  /** Matched events of triggers with a dedup window or a batch, keyed by trigger name. */
  public Topic<String, TriggerMatch> triggerMatches() {
    return triggerMatches;
  }

  /** The instruction topic of one component. */
  public Topic<String, StageInstruction> instructions(String component) {
    return new Topic<>(names.instructions(component), Serdes.String(), INSTRUCTION);
  }
}
