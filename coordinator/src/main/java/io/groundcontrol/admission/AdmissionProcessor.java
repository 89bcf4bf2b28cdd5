package io.groundcontrol.admission;

import io.groundcontrol.coordinator.InputChecks;
import io.groundcontrol.schema.AdmissionEntry;
import io.groundcontrol.schema.AdmissionRequest;
import io.groundcontrol.schema.ComponentSettings;
import io.groundcontrol.schema.ComponentStatus;
import io.groundcontrol.schema.SlotGrant;
import io.groundcontrol.schema.StageInstruction;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The admission sub-topology's one stateful step, keyed by component: takes slot requests and
 * releases from the missions, lets the {@link Dispatcher} decide, and sends each grant back to
 * its mission and, in the same transaction, the granted attempt to its component's workers.
 * Grants far below the cap come with a lease, which the missions' partition may hand on (see
 * {@link Dispatcher}).
 * Wall-clock punctuation grants what a raised cap allows (settings come from the global components
 * store, so a change needs no restart) and publishes each changed component's status, at most once
 * per tick.
 */
public final class AdmissionProcessor implements Processor<String, AdmissionRequest, String, Object> {
  /** How often caps are re-read and statuses published: the delay before a raised cap takes effect. */
  public static final Duration TICK = Duration.ofMillis(200);
  private static final int GRANTS_PER_TICK = 1000;

  private final Names names;
  private ProcessorContext<String, Object> context;
  private Dispatcher dispatcher;
  private KeyValueStore<String, ComponentSettings> settings;
  private final Set<String> changed = new TreeSet<>();
  private final Map<String, Integer> publishedCaps = new HashMap<>();

  /**
   * The store and sink names the topology gave this processor.
   *
   * @param entries store of {@link AdmissionEntry} by attempt
   * @param queue store of queued attempts in grant order
   * @param counts store of counters
   * @param settings global store of {@link ComponentSettings}
   * @param grantsSink sink of {@link SlotGrant}s, keyed by mission id
   * @param instructionsSink sink of {@link StageInstruction}s to each component's topic, keyed by mission id
   * @param statusSink sink of {@link ComponentStatus}, keyed by component
   */
  public record Names(String entries, String queue, String counts, String settings, String grantsSink,
      String instructionsSink, String statusSink) {}

  public AdmissionProcessor(Names names) {
    this.names = names;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    KeyValueStore<String, AdmissionEntry> entries = context.getStateStore(names.entries());
    KeyValueStore<String, String> queue = context.getStateStore(names.queue());
    KeyValueStore<String, Long> counts = context.getStateStore(names.counts());
    this.settings = context.getStateStore(names.settings());
    this.dispatcher =
        new Dispatcher(new MirroredTable<>(entries), new MirroredTable<>(queue), new MirroredTable<>(counts), true);
    // A new owner of this partition publishes every status once, whatever its predecessor did.
    changed.addAll(dispatcher.components());
    context.schedule(TICK, PunctuationType.WALL_CLOCK_TIME, now -> tick(Instant.ofEpochMilli(now)));
  }

  @Override
  public void process(Record<String, AdmissionRequest> record) {
    AdmissionRequest request = InputChecks.value(record);
    InputChecks.key(record.key(), request.getComponent(), "the component in the value");
    Instant at = DecisionTime.of(record.timestamp(), context);
    send(dispatcher.handle(request, settings.get(request.getComponent()), at), at);
    changed.add(request.getComponent());
  }

  private void tick(Instant now) {
    for (String component : dispatcher.components()) {
      ComponentSettings current = settings.get(component);
      Decided decided = dispatcher.grantWhatFits(component, current, now, GRANTS_PER_TICK);
      send(decided, now);
      Integer cap = current == null ? null : current.getMaxRunning();
      if (!decided.grants().isEmpty() || !Objects.equals(cap, publishedCaps.get(component))) {
        changed.add(component);
      }
    }
    for (String component : changed) {
      ComponentSettings current = settings.get(component);
      ComponentStatus status = dispatcher.status(component, current, now);
      context.forward(new Record<String, Object>(component, status, now.toEpochMilli()), names.statusSink());
      publishedCaps.put(component, status.getMaxRunning());
    }
    changed.clear();
  }

  /** Writes what the dispatcher decided: all of it in the transaction of the input or tick that decided it. */
  private void send(Decided decided, Instant at) {
    for (SlotGrant grant : decided.grants()) {
      context.forward(new Record<String, Object>(grant.getMissionId(), grant, at.toEpochMilli()), names.grantsSink());
    }
    for (StageInstruction instruction : decided.instructions()) {
      context.forward(new Record<String, Object>(instruction.getMissionId(), instruction, at.toEpochMilli()),
          names.instructionsSink());
    }
  }
}
