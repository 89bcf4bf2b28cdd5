package io.groundcontrol.client;

import io.groundcontrol.schema.ComponentSettings;
import io.groundcontrol.schema.ComponentStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One component as {@code component list}, {@code GET /api/v1/components} and the web UI show it:
 * its settings, how its slots stood at the admission sub-topology's last publication, and its
 * live workers.
 *
 * @param maxRunning the cap applied in its settings; null: no cap
 * @param running slots held (capped components only; uncapped ones are not counted)
 * @param queued attempts waiting for a slot
 * @param oldestQueuedAt when the oldest queued attempt asked for its slot; null if none waits
 * @param weights fair-share weight per plan; plans not named weigh 1
 * @param liveWorkers members of its consumer group, as {@code worker@host}
 * @param statusAt when its status was published; null if never (uncapped, or nothing ran yet)
 */
public record ComponentOverview(String component, Integer maxRunning, int running, int queued, Instant oldestQueuedAt,
    Map<String, Integer> weights, List<String> liveWorkers, Instant statusAt) {

  /**
   * Every component that has settings, a status or an instruction topic, by name.
   *
   * @param live live workers by component, for every component with an instruction topic
   */
  public static List<ComponentOverview> of(Map<String, ComponentSettings> settings,
      Map<String, ComponentStatus> statuses, Map<String, List<String>> live) {
    TreeSet<String> names = new TreeSet<>(settings.keySet());
    names.addAll(statuses.keySet());
    names.addAll(live.keySet());
    List<ComponentOverview> all = new ArrayList<>();
    for (String name : names) {
      ComponentSettings setting = settings.get(name);
      ComponentStatus status = statuses.get(name);
      all.add(new ComponentOverview(name,
          setting == null ? null : setting.getMaxRunning(),
          status == null ? 0 : status.getRunning(),
          status == null ? 0 : status.getQueued(),
          status == null ? null : status.getOldestQueuedAt(),
          setting == null ? Map.of() : new TreeMap<>(setting.getPlanWeights()),
          List.copyOf(live.getOrDefault(name, List.of())),
          status == null ? null : status.getUpdatedAt()));
    }
    return all;
  }

  /** How long the oldest queued attempt has waited at {@code now}; empty if none waits. */
  public Optional<Duration> oldestQueuedAge(Instant now) {
    if (oldestQueuedAt == null) {
      return Optional.empty();
    }
    Duration age = Duration.between(oldestQueuedAt, now);
    return Optional.of(age.isNegative() ? Duration.ZERO : age);
  }

  /** An age as the lists print it: seconds below 2 minutes, then minutes below 2 hours, then hours. */
  public static String age(Duration age) {
    long s = Math.max(0, age.toSeconds());
    return s < 120 ? s + "s" : s < 7200 ? s / 60 + "m" : s / 3600 + "h";
  }
}
