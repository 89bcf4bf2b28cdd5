package io.groundcontrol.trigger;

import io.groundcontrol.admission.StoreTable;
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
import java.util.Objects;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The trigger gate's one stateful step, keyed by trigger name: lets the {@link TriggerGate} decide
 * what matched events of triggers with a dedup window or a batch start, and sends the starts to
 * the missions. Wall-clock punctuation closes batches whose window has passed, so a quiet topic
 * still closes its window.
 */
final class TriggerGateProcessor implements Processor<String, TriggerMatch, String, MissionCommand> {
  /** How often open batches are looked at: how late after its window a batch may close. */
  static final Duration TICK = Duration.ofMillis(200);

  private ProcessorContext<String, MissionCommand> context;
  private TriggerGate gate;
  private KeyValueStore<String, Trigger> triggers;

  @Override
  public void init(ProcessorContext<String, MissionCommand> context) {
    this.context = context;
    KeyValueStore<String, Long> marks = context.getStateStore(TriggerTopology.GATE_MARKS_STORE);
    KeyValueStore<String, TriggerBatchState> batches = context.getStateStore(TriggerTopology.GATE_BATCHES_STORE);
    this.triggers = context.getStateStore(TriggerTopology.TRIGGER_STORE);
    this.gate = new TriggerGate(new StoreTable<>(marks), new StoreTable<>(batches));
    context.schedule(TICK, PunctuationType.WALL_CLOCK_TIME,
        now -> send(gate.closeDue(triggers::get, Instant.ofEpochMilli(now))));
  }

  @Override
  public void process(Record<String, TriggerMatch> record) {
    TriggerMatch match = record.value();
    if (!Objects.equals(record.key(), match.getTrigger())) {
      throw new IllegalArgumentException("Expected record key '" + match.getTrigger()
          + "' (the trigger in the value), but got '" + record.key() + "'");
    }
    send(gate.onMatch(triggers.get(match.getTrigger()), match));
  }

  private void send(List<TriggerGate.Start> starts) {
    for (TriggerGate.Start start : starts) {
      Actor actor = new Actor(ActorKind.COORDINATOR, "trigger:" + start.trigger(), null);
      MissionCommand command = new MissionCommand(start.missionId(), actor, start.at(),
          StartMission.newBuilder().setPlanName(start.plan()).setParams(start.params()).build());
      context.forward(new Record<>(start.missionId(), command, start.at().toEpochMilli()), TriggerTopology.GATE_COMMANDS_SINK);
    }
  }
}
