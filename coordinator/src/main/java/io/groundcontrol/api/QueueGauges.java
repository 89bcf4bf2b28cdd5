package io.groundcontrol.api;

import io.groundcontrol.client.LiveTable;
import io.groundcontrol.schema.ComponentStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * Gauges of each capped component's queue, from the statuses the admission sub-topology publishes
 * on the compacted component-status topic: attempts queued, slots running, the cap, and the age of
 * the oldest queued attempt. Every instance follows the same topic, so every instance reports the
 * same values: aggregate them across instances with max, not sum. A component whose status is
 * gone reads NaN.
 */
final class QueueGauges {
  private final LiveTable<ComponentStatus> statuses;
  private final MeterRegistry registry;
  private final Clock clock;
  private final Set<String> registered = ConcurrentHashMap.newKeySet();

  QueueGauges(LiveTable<ComponentStatus> statuses, MeterRegistry registry, Clock clock) {
    this.statuses = statuses;
    this.registry = registry;
    this.clock = clock;
  }

  /** Registers the gauges of components seen since the last call; called before each scrape. */
  void registerNew() {
    for (String component : statuses.all().keySet()) {
      if (registered.add(component)) {
        gauge(component, "groundcontrol.component.queued", "Attempts waiting for a slot", null, s -> s.getQueued());
        gauge(component, "groundcontrol.component.running", "Slots held: attempts granted and not yet ended", null,
            s -> s.getRunning());
        gauge(component, "groundcontrol.component.max.running", "The cap; NaN without one", null,
            s -> s.getMaxRunning() == null ? Double.NaN : s.getMaxRunning());
        gauge(component, "groundcontrol.component.oldest.queued.age", "How long the oldest queued attempt has waited",
            "seconds", s -> s.getOldestQueuedAt() == null ? 0
                : Math.max(0, Duration.between(s.getOldestQueuedAt(), clock.instant()).toMillis() / 1000.0));
      }
    }
  }

  private void gauge(String component, String name, String description, String unit,
      ToDoubleFunction<ComponentStatus> value) {
    Gauge.builder(name, statuses, table -> table.get(component).map(value::applyAsDouble).orElse(Double.NaN))
        .description(description + " (from component-status; the same on every instance)")
        .baseUnit(unit).tag("component", component).register(registry);
  }
}
