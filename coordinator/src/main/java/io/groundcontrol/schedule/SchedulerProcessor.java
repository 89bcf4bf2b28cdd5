package io.groundcontrol.schedule;

import io.groundcontrol.coordinator.InputChecks;
import io.groundcontrol.coordinator.ReadAgain;
import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.CancelMission;
import io.groundcontrol.schema.MissionCommand;
import io.groundcontrol.schema.MissionEvent;
import io.groundcontrol.schema.ReadPosition;
import io.groundcontrol.schema.Schedule;
import io.groundcontrol.schema.ScheduleCommand;
import io.groundcontrol.schema.ScheduleEvent;
import io.groundcontrol.schema.ScheduleState;
import io.groundcontrol.schema.ScheduledMissionStatus;
import io.groundcontrol.schema.StartMission;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka side of the scheduler, one task per partition of schedule names. Keeps each schedule's
 * state in a changelogged store and, on wall-clock punctuation, lets the {@link ScheduleDecider}
 * decide what is due. A fire's state change, its schedule event and its start command commit in
 * one transaction, and the mission id is derived from schedule and nominal time, so a fire is
 * never started twice, across crashes, restarts and instances.
 */
final class SchedulerProcessor implements Processor<String, Object, String, Object> {
  /** How often schedules are checked: the resolution of fire times. */
  static final Duration TICK = Duration.ofMillis(200);
  private static final Logger LOG = LoggerFactory.getLogger(SchedulerProcessor.class);

  private final String schedulesTopic;
  private ReadPositions positions;
  private ScheduleDecider decider;
  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, ScheduleState> states;

  SchedulerProcessor(String schedulesTopic) {
    this.schedulesTopic = schedulesTopic;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.states = context.getStateStore(SchedulerTopology.STATE_STORE);
    this.positions = ReadPositions.of(ReadAgain.possible(context.appConfigs()));
    this.decider = new ScheduleDecider(positions);
    context.schedule(TICK, PunctuationType.WALL_CLOCK_TIME, now -> tick(Instant.ofEpochMilli(now)));
  }

  @Override
  public void process(Record<String, Object> record) {
    String name = InputChecks.present(record.key(), "the schedule name");
    Instant at = Instant.ofEpochMilli(record.timestamp());
    // The record's time is its sender's clock (the host that ran `schedule apply` or `resume`):
    // where a schedule starts or resumes counts on the scheduler's own, as its ticks do.
    Instant readAt = Instant.ofEpochMilli(context.currentSystemTimeMs());
    ScheduleState state = states.get(name);
    boolean fromSchedules = context.recordMetadata().map(m -> m.topic().equals(schedulesTopic)).orElse(false);
    ReadPosition position = context.recordMetadata().map(m -> ReadPositions.at(m.offset(), at)).orElse(null);
    if (fromSchedules) {
      define(name, state, (Schedule) record.value(), readAt, position);
    } else if (InputChecks.value(record) instanceof ScheduleCommand command) {
      InputChecks.key(name, command.getSchedule(), "the schedule in the value");
      write(name, state, decider.command(state, command, at, readAt, position), at, command.getIssuedBy());
    } else if (record.value() instanceof MissionEvent event) {
      track(name, state, event, position);
    }
  }

  private void define(String name, ScheduleState state, Schedule definition, Instant at, ReadPosition position) {
    if (state != null && positions.readBefore(state.getDefinitionReadTo(), position)) {
      // Read again (at-least-once): applied before, and what came after it is in the state.
      return;
    }
    if (definition != null) {
      InputChecks.key(name, definition.getName(), "the schedule name in the value");
    }
    if (definition == null || state == null || state.getDefinition() == null) {
      decider.forget(name);
      if (definition == null && !positions.checked()) {
        states.delete(name);
      } else if (definition != null || state != null) {
        states.put(name, replaced(name, state, definition, at, position));
      }
      return;
    }
    state.setDefinitionReadTo(ReadPositions.after(state.getDefinitionReadTo(), position));
    List<ScheduleEffect> effects = decider.redefine(state, definition, at);
    if (effects.isEmpty()) {
      // A new interval, cron, plan or params logs nothing, but the state must keep it.
      states.put(name, state);
    }
    write(name, state, effects, at, null);
  }

  /**
   * A schedule applied anew, or removed under at-least-once: a removed one keeps a state with no
   * definition, which fires nothing and lists as nothing, so that its read positions tell its
   * records read again after the removal from new ones.
   */
  private static ScheduleState replaced(String name, ScheduleState before, Schedule definition, Instant at,
      ReadPosition position) {
    ScheduleState state = definition == null
        ? ScheduleState.newBuilder().setSchedule(name).setHandledUntil(at).build()
        : ScheduleDecider.newState(definition, at);
    if (before != null) {
      state.setCommandsReadTo(before.getCommandsReadTo());
      state.setMissionEventsReadTo(before.getMissionEventsReadTo());
    }
    state.setDefinitionReadTo(ReadPositions.after(before == null ? null : before.getDefinitionReadTo(), position));
    return state;
  }

  /** Keeps the status of the schedule's last mission, as the mission log tells it. */
  private void track(String name, ScheduleState state, MissionEvent event, ReadPosition position) {
    if (state == null || state.getDefinition() == null) {
      // Removed while its mission ran, or a key that names no schedule: nothing to keep.
      LOG.info("Ignored an event of mission '{}' for schedule '{}': no such schedule", event.getMissionId(), name);
      return;
    }
    if (positions.readBefore(state.getMissionEventsReadTo(), position)) {
      // Read again (at-least-once): the status it set may have been overtaken by later events.
      return;
    }
    ScheduledMissionStatus status = ScheduledMissionEvents.statusAfter(event);
    boolean changes = event.getMissionId().equals(state.getLastMissionId()) && status != null
        && status != state.getLastMissionStatus();
    ReadPosition read = ReadPositions.after(state.getMissionEventsReadTo(), position);
    if (changes || !read.equals(state.getMissionEventsReadTo())) {
      if (changes) {
        state.setLastMissionStatus(status);
      }
      state.setMissionEventsReadTo(read);
      states.put(state.getSchedule(), state);
    }
  }

  private void tick(Instant now) {
    List<KeyValue<String, ScheduleState>> all = new ArrayList<>();
    try (KeyValueIterator<String, ScheduleState> it = states.all()) {
      it.forEachRemaining(all::add);
    }
    for (KeyValue<String, ScheduleState> entry : all) {
      try {
        write(entry.key, entry.value, decider.tick(entry.value, now), now, null);
      } catch (RuntimeException e) {
        // A schedule that cannot be decided (a bad cron slipped past validation) harms only itself.
        LOG.error("Could not decide schedule '{}'", entry.key, e);
      }
    }
  }

  /** Writes the effects of one decision; its schedule events name {@code issuer}, the command's, if a command caused it. */
  private void write(String name, ScheduleState state, List<ScheduleEffect> effects, Instant at, Actor issuer) {
    if (effects.isEmpty()) {
      return;
    }
    if (state != null) {
      states.put(name, state);
    }
    long timestamp = at.toEpochMilli();
    Actor actor = new Actor(ActorKind.COORDINATOR, "schedule:" + name, null);
    for (ScheduleEffect effect : effects) {
      if (effect instanceof ScheduleEffect.Log log) {
        context.forward(new Record<String, Object>(name, new ScheduleEvent(name, at, log.event(), issuer), timestamp),
            SchedulerTopology.EVENTS_SINK);
      } else if (effect instanceof ScheduleEffect.Start start) {
        StartMission command = StartMission.newBuilder().setPlanName(start.plan()).setParams(Map.copyOf(start.params()))
            .setPriority(start.priority()).build();
        context.forward(new Record<String, Object>(start.missionId(),
            new MissionCommand(start.missionId(), actor, at, command), timestamp), SchedulerTopology.COMMANDS_SINK);
      } else if (effect instanceof ScheduleEffect.Cancel cancel) {
        context.forward(new Record<String, Object>(cancel.missionId(),
            new MissionCommand(cancel.missionId(), actor, at, new CancelMission(cancel.reason())), timestamp),
            SchedulerTopology.COMMANDS_SINK);
      }
    }
  }
}
