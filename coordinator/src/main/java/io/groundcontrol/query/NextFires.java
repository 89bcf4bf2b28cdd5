package io.groundcontrol.query;

import io.groundcontrol.schedule.ScheduleSpec;
import io.groundcontrol.schema.Schedule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The next fires of each schedule, remembered between reads: finding cron times is the costly
 * part of listing schedules (about half a millisecond per cron schedule here), and the answer
 * stays the same until the definition changes or the first of those fires comes due. The compiled
 * schedule is kept with them, so a later computation does not parse the cron again.
 */
final class NextFires {
  /** How many fires a document lists. */
  static final int COUNT = 3;
  private static final int MAX_REMEMBERED = 100_000;

  /** Fires computed from {@code from}: valid for any later start before the first of them. */
  private record Known(Schedule definition, ScheduleSpec spec, Instant from, Optional<Instant> firstNominal,
      List<String> due) {
    boolean answers(Schedule asked, Instant start) {
      return definition.equals(asked) && !start.isBefore(from)
          && firstNominal.map(start::isBefore).orElse(true);
    }
  }

  private final Map<String, Known> known = new ConcurrentHashMap<>();

  /**
   * When the next {@value #COUNT} fires after {@code from} are due (jitter included), soonest
   * first; empty if the schedule has ended or its clock is unusable.
   */
  List<String> after(Schedule definition, Instant from) {
    Known cached = known.get(definition.getName());
    if (cached != null && cached.answers(definition, from)) {
      return cached.due();
    }
    ScheduleSpec spec;
    if (cached != null && cached.definition().equals(definition)) {
      spec = cached.spec();
    } else {
      try {
        spec = ScheduleSpec.of(definition);
      } catch (IllegalArgumentException e) {
        // An unusable clock fires nothing (the scheduler logs it); the rest of the document stands.
        return List.of();
      }
    }
    Optional<Instant> first = spec.nominalAfter(from);
    List<String> due = new ArrayList<>();
    Optional<Instant> nominal = first;
    while (nominal.isPresent() && due.size() < COUNT) {
      due.add(spec.dueAt(nominal.get()).toString());
      nominal = spec.nominalAfter(nominal.get());
    }
    if (known.size() >= MAX_REMEMBERED) {
      known.clear();
    }
    known.put(definition.getName(), new Known(definition, spec, from, first, List.copyOf(due)));
    return due;
  }
}
