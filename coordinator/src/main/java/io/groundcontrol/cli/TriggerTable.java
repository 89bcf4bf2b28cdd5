package io.groundcontrol.cli;

import io.groundcontrol.schema.Trigger;
import io.groundcontrol.schema.TriggerBatch;
import io.groundcontrol.trigger.TriggerStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The triggers of {@code schedule list}: their definitions, from the triggers topic, and whether a
 * coordinator reads each one's topic, from its API (only a coordinator knows what the cluster lets
 * it read); then one line for each that waits for its topic or stays inert, saying why.
 */
final class TriggerTable {
  static final String UNKNOWN = "?";

  private final List<Trigger> triggers;
  private final Optional<Map<String, TriggerStatus>> statuses;

  /** @param statuses as a coordinator's API answered them; empty if none could be asked */
  TriggerTable(Collection<Trigger> triggers, Optional<List<TriggerStatus>> statuses) {
    this.triggers = triggers.stream().sorted(Comparator.comparing(Trigger::getName)).toList();
    this.statuses = statuses.map(all -> all.stream().collect(Collectors.toMap(TriggerStatus::name, Function.identity())));
  }

  /** The table's rows, header first. */
  List<List<String>> rows() {
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("TRIGGER", "TOPIC", "PLAN", "PRIORITY", "KEY", "WHEN", "DEDUP", "BATCH", "STATE"));
    triggers.forEach(t -> rows.add(List.of(t.getName(), t.getTopic(), t.getPlan(), String.valueOf(t.getPriority()),
        t.getKey() == null ? "(record offset)" : t.getKey(),
        t.getWhen().stream().map(c -> c.getField() + " " + c.getOp().name().toLowerCase() + " " + c.getValue())
            .reduce((a, b) -> a + ", " + b).orElse(""),
        t.getDedupWindowMs() == null ? "for ever" : "within " + duration(t.getDedupWindowMs()),
        t.getBatch() == null ? "" : batch(t.getBatch()),
        status(t).map(s -> s.state().name()).orElse(UNKNOWN))));
    return rows;
  }

  /** Why each trigger that is not active waits or stays inert, as the coordinator logs it. */
  List<String> notes() {
    return triggers.stream().map(this::status).flatMap(Optional::stream)
        .filter(s -> s.state() != TriggerStatus.State.ACTIVE).map(TriggerStatus::line).toList();
  }

  /** The status of {@code trigger}, if the coordinator checked this version of it (same topic). */
  private Optional<TriggerStatus> status(Trigger trigger) {
    return statuses.map(all -> all.get(trigger.getName())).filter(s -> s.topic().equals(trigger.getTopic()));
  }

  private static String batch(TriggerBatch batch) {
    List<String> parts = new ArrayList<>();
    if (batch.getMaxEvents() != null) {
      parts.add(batch.getMaxEvents() + " events");
    }
    if (batch.getWindowMs() != null) {
      parts.add(duration(batch.getWindowMs()));
    }
    return String.join(" or ", parts) + " -> " + batch.getKeysParam();
  }

  private static String duration(long millis) {
    return Duration.ofMillis(millis).toString().substring(2).toLowerCase();
  }
}
