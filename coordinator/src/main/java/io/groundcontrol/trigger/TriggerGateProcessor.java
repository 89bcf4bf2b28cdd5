package io.groundcontrol.trigger;

import io.groundcontrol.admission.StoreTable;
import io.groundcontrol.coordinator.InputChecks;
import io.groundcontrol.coordinator.ReadAgain;
import io.groundcontrol.coordinator.StoreSweep;
import io.groundcontrol.schema.Actor;
import io.groundcontrol.schema.ActorKind;
import io.groundcontrol.schema.MissionCommand;
import io.groundcontrol.schema.StartMission;
import io.groundcontrol.schema.Trigger;
import io.groundcontrol.schema.TriggerBatchState;
import io.groundcontrol.schema.TriggerMatch;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The trigger gate's one stateful step, keyed by trigger name: lets the {@link TriggerGate} decide
 * what matched events of triggers with a dedup window or a batch start, and sends the starts to
 * the missions. Wall-clock punctuation closes batches whose window has passed, so a quiet topic
 * still closes its window, and sweeps out the marks that can no longer decide anything ({@link
 * TriggerGate#deadMark}), judged against the newest event the task has read (its stream time), not
 * the wall clock: a gate that was down, or is behind, keeps the marks of the events still to come.
 * Under at-least-once the gate drops matches of records it has taken before ({@link SourcePositions}).
 */
final class TriggerGateProcessor implements Processor<String, TriggerMatch, String, MissionCommand> {
  /** How often open batches are looked at: how late after its window a batch may close. */
  static final Duration TICK = Duration.ofMillis(200);
  /** Marks read at most per tick: 2,500 a second per partition, a few ms of the thread per tick. */
  static final int MARK_BATCH = 500;
  /** The least time between the starts of two sweeps over all marks. */
  static final Duration MARK_PASS = Duration.ofMinutes(1);

  private ProcessorContext<String, MissionCommand> context;
  private TriggerGate gate;
  private KeyValueStore<String, Trigger> triggers;
  private StoreSweep<Long> marksSweep;

  @Override
  public void init(ProcessorContext<String, MissionCommand> context) {
    this.context = context;
    KeyValueStore<String, Long> marks = context.getStateStore(TriggerTopology.GATE_MARKS_STORE);
    KeyValueStore<String, TriggerBatchState> batches = context.getStateStore(TriggerTopology.GATE_BATCHES_STORE);
    this.triggers = context.getStateStore(TriggerTopology.TRIGGER_STORE);
    this.gate = new TriggerGate(new StoreTable<>(marks), new StoreTable<>(batches),
        ReadAgain.possible(context.appConfigs()));
    this.marksSweep = new StoreSweep<>(marks, MARK_BATCH, MARK_PASS);
    context.schedule(TICK, PunctuationType.WALL_CLOCK_TIME, this::tick);
  }

  private void tick(long nowMs) {
    Instant now = Instant.ofEpochMilli(nowMs);
    send(gate.closeDue(triggers::get, now));
    marksSweep.sweep(now, () -> {
      Instant newestEvent = Instant.ofEpochMilli(context.currentStreamTimeMs());
      return (key, windowStart) -> TriggerGate.deadMark(key, windowStart, triggers::get, newestEvent);
    });
  }

  @Override
  public void process(Record<String, TriggerMatch> record) {
    TriggerMatch match = InputChecks.value(record);
    InputChecks.key(record.key(), match.getTrigger(), "the trigger in the value");
    send(gate.onMatch(triggers.get(match.getTrigger()), match));
  }

  private void send(List<TriggerGate.Start> starts) {
    for (TriggerGate.Start start : starts) {
      Actor actor = new Actor(ActorKind.COORDINATOR, "trigger:" + start.trigger(), null);
      MissionCommand command = new MissionCommand(start.missionId(), actor, start.at(),
          StartMission.newBuilder().setPlanName(start.plan()).setParams(start.params()).setPriority(start.priority())
              .build());
      context.forward(new Record<>(start.missionId(), command, start.at().toEpochMilli()), TriggerTopology.GATE_COMMANDS_SINK);
    }
  }
}
